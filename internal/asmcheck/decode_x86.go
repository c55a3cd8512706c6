package asmcheck

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// decodeAMD64 disassembles x86-64 code at addr in the syntax doc.go describes. A byte that
// does not decode becomes "(bad) 0x…" and decoding goes on at the next, as objdump does.
func decodeAMD64(code []byte, addr uint64, sym symLookup) []Inst {
	var insts []Inst
	for i := 0; i < len(code); {
		pc := addr + uint64(i)
		in, err := x86asm.Decode(code[i:], 64)
		if err != nil {
			insts = append(insts, Inst{pc, fmt.Sprintf("(bad) %#02x", code[i])})
			i++
			continue
		}
		insts = append(insts, Inst{pc, intelText(in, pc, sym)})
		i += in.Len
	}
	return insts
}

// intelText is x86asm's Intel syntax with the two changes doc.go names.
func intelText(in x86asm.Inst, pc uint64, sym symLookup) string {
	text := x86asm.IntelSyntax(in, pc, x86asm.SymLookup(sym))
	if in.Op == x86asm.LEA {
		return strings.Replace(text, ", ptr [", ", [", 1)
	}
	// Go's op names spell conditions as GNU does (JAE, SETA, CMOVL).
	name := strings.ToLower(in.Op.String())
	if mn, args, _ := strings.Cut(text, " "); mn != name && isConditional(mn) && isConditional(name) {
		return strings.TrimSuffix(name+" "+args, " ")
	}
	return text
}

func isConditional(name string) bool {
	return strings.HasPrefix(name, "set") || strings.HasPrefix(name, "cmov") ||
		strings.HasPrefix(name, "j") && name != "jmp"
}
