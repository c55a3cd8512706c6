package asmcheck

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// decodeARM64 disassembles A64 code at addr in the syntax doc.go describes. A word that does
// not decode (a jump table's entries are data in the code) becomes ".word 0x…".
func decodeARM64(code []byte, addr uint64, sym symLookup) []Inst {
	var insts []Inst
	pages := map[arm64asm.Reg]uint64{} // the page each register got from the last adrp
	for i := 0; i+4 <= len(code); i += 4 {
		pc := addr + uint64(i)
		in, err := arm64asm.Decode(code[i : i+4])
		if err != nil {
			insts = append(insts, Inst{pc, fmt.Sprintf(".word %#08x", binary.LittleEndian.Uint32(code[i:]))})
			continue
		}
		insts = append(insts, Inst{pc, gnuText(in, pc, sym, pages)})
	}
	return insts
}

// gnuText is arm64asm's GNU syntax with the changes doc.go names: ", " between the parts of
// a memory operand, as wasmc's dumps write them; branch and adr targets as the symbol they
// start (bl $f) or else as addresses; and an adrp's page plus the low 12 bits of the add,
// load or store that uses it named as <symbol+offset> after the instruction.
func gnuText(in arm64asm.Inst, pc uint64, sym symLookup, pages map[arm64asm.Reg]uint64) string {
	text := arm64asm.GNUSyntax(in)
	if i := strings.IndexByte(text, '['); i >= 0 {
		if j := strings.IndexByte(text[i:], ']'); j >= 0 {
			text = text[:i] + strings.ReplaceAll(text[i:i+j], ",", ", ") + text[i+j:]
		}
	}
	var rel arm64asm.PCRel
	hasRel := false
	for _, a := range in.Args {
		if r, ok := a.(arm64asm.PCRel); ok {
			rel, hasRel = r, true
		}
	}
	if hasRel {
		target := pc + uint64(int64(rel))
		old := fmt.Sprintf(".+%#x", uint64(int64(rel))) // how GNUSyntax writes it
		if in.Op == arm64asm.ADRP {
			if d, ok := in.Args[0].(arm64asm.Reg); ok {
				pages[d] = target &^ 0xfff
			}
			return strings.Replace(text, old, fmt.Sprintf("%#x", target&^0xfff), 1)
		}
		name := fmt.Sprintf("%#x", target)
		if s, base := sym(target); s != "" && base == target {
			name = s
		}
		return strings.Replace(text, old, name, 1)
	}
	// The low 12 bits that complete an adrp: add xd, xn, #lo or a load or store at [xn, #lo].
	var base arm64asm.Reg
	var lo uint64
	found := false
	n := 0 // the number of arguments: Args is a fixed array, nil after the last
	for n < len(in.Args) && in.Args[n] != nil {
		n++
	}
	if n == 0 {
		return text
	}
	switch a := in.Args[n-1].(type) {
	case arm64asm.MemImmediate:
		if in.Op == arm64asm.LDR || in.Op == arm64asm.STR {
			base, found = arm64asm.Reg(a.Base), true
			lo = memOffset(text)
		}
	case arm64asm.ImmShift:
		if in.Op == arm64asm.ADD {
			if n, ok := in.Args[1].(arm64asm.RegSP); ok {
				base, found = arm64asm.Reg(n), true
				lo = memOffset(text)
			}
		}
	}
	if page, ok := pages[base]; ok && found {
		if s, start := sym(page + lo); s != "" {
			if off := page + lo - start; off != 0 {
				return fmt.Sprintf("%s <%s+%d>", text, s, off)
			}
			return fmt.Sprintf("%s <%s>", text, s)
		}
	}
	return text
}

// memOffset reads the last immediate of an instruction's text: #16 or #0x10.
func memOffset(text string) uint64 {
	i := strings.LastIndexByte(text, '#')
	if i < 0 {
		return 0
	}
	s := strings.TrimRight(text[i+1:], "]!")
	var v uint64
	if strings.HasPrefix(s, "0x") {
		fmt.Sscanf(s[2:], "%x", &v)
	} else {
		fmt.Sscanf(s, "%d", &v)
	}
	return v
}
