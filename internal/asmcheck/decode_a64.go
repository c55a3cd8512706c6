package asmcheck

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// decodeARM64 disassembles A64 code at addr in the syntax doc.go describes: GNU syntax
// (arm64asm.GNUSyntax, lower case), with PC-relative operands resolved. A branch, adr or
// literal load names its target's symbol when the target starts one and its address
// otherwise; adrp followed by the add or load/store that completes the address names the
// symbol both halves reach, as an assembler source writes the pair ("adrp x16,
// wasmc.stack_limit" then "ldr x16, [x16,#:lo12:wasmc.stack_limit]"). A word that does not
// decode becomes "(bad) 0x…" and decoding goes on at the next, as objdump does.
func decodeARM64(code []byte, addr uint64, sym symLookup) []Inst {
	var insts []Inst
	var page adrpPage // the last instruction's adrp, if it was one
	for i := 0; i < len(code); i += 4 {
		pc := addr + uint64(i)
		if len(code)-i < 4 {
			for _, b := range code[i:] {
				insts = append(insts, Inst{pc, fmt.Sprintf("(bad) %#02x", b)})
				pc++
			}
			break
		}
		in, err := arm64asm.Decode(code[i : i+4])
		if err != nil {
			insts = append(insts, Inst{pc, fmt.Sprintf("(bad) %#08x", binary.LittleEndian.Uint32(code[i:]))})
			page = adrpPage{}
			continue
		}
		text, next, reached := armText(in, pc, sym, page)
		if reached != "" {
			// in completed the previous adrp's address: name the symbol there too.
			insts[len(insts)-1].Text = page.prefix + reached
		}
		insts = append(insts, Inst{pc, text})
		page = next
	}
	return insts
}

// adrpPage is an adrp seen just before: its register and page, and how to print it.
type adrpPage struct {
	ok     bool
	reg    string // as GNU syntax writes it, "x16"
	page   uint64
	prefix string // "adrp x16, "
}

// memOffset matches an unsigned-offset memory operand, the form that completes an adrp.
var memOffset = regexp.MustCompile(`^\[(x[0-9]+),#(-?[0-9]+)\]$|^\[(x[0-9]+)\]$`)

// armText is in's text with its PC-relative operand resolved. It returns the adrp in is,
// if it is one, and, when in completes prev's address, the name of the symbol reached.
func armText(in arm64asm.Inst, pc uint64, sym symLookup, prev adrpPage) (text string, adrp adrpPage, reached string) {
	text = arm64asm.GNUSyntax(in)
	for _, a := range in.Args {
		rel, ok := a.(arm64asm.PCRel)
		if !ok {
			continue
		}
		old := strings.ToLower(rel.String())
		if in.Op == arm64asm.ADRP {
			page := pc&^0xfff + uint64(rel)
			reg := strings.ToLower(in.Args[0].String())
			p := adrpPage{ok: true, reg: reg, page: page, prefix: strings.TrimSuffix(text, old)}
			return p.prefix + fmt.Sprintf("%#x", page), p, ""
		}
		target := pc + uint64(rel)
		name := fmt.Sprintf("%#x", target)
		if s, base := sym(target); s != "" && base == target {
			name = s
		}
		return strings.Replace(text, old, name, 1), adrpPage{}, ""
	}
	if !prev.ok {
		return text, adrpPage{}, ""
	}
	// Does in add a low 12-bit offset to prev's register?
	var lo uint64
	var oldArg, newArg string
	switch {
	case in.Op == arm64asm.ADD && strings.ToLower(in.Args[1].String()) == prev.reg:
		imm, ok := in.Args[2].(arm64asm.ImmShift)
		v, err := strconv.ParseUint(strings.TrimPrefix(imm.String(), "#0x"), 16, 64)
		if !ok || err != nil || !strings.HasPrefix(imm.String(), "#0x") {
			return text, adrpPage{}, ""
		}
		lo, oldArg, newArg = v, strings.ToLower(imm.String()), "#:lo12:%s"
	default:
		var mem arm64asm.MemImmediate
		var found bool
		for _, a := range in.Args {
			if m, ok := a.(arm64asm.MemImmediate); ok {
				mem, found = m, true
			}
		}
		if !found {
			return text, adrpPage{}, ""
		}
		arg := strings.ToLower(mem.String())
		m := memOffset.FindStringSubmatch(arg)
		if m == nil || m[1]+m[3] != prev.reg {
			return text, adrpPage{}, ""
		}
		if m[2] != "" {
			v, err := strconv.ParseInt(m[2], 10, 64)
			if err != nil || v < 0 {
				return text, adrpPage{}, ""
			}
			lo = uint64(v)
		}
		oldArg, newArg = arg, "["+prev.reg+",#:lo12:%s]"
	}
	if lo >= 0x1000 {
		return text, adrpPage{}, ""
	}
	target := prev.page + lo
	s, base := sym(target)
	if s == "" {
		return text, adrpPage{}, ""
	}
	name := s
	if target != base {
		name = fmt.Sprintf("%s+%#x", s, target-base)
	}
	return strings.Replace(text, oldArg, fmt.Sprintf(newArg, name), 1), adrpPage{}, name
}
