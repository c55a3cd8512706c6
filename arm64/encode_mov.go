package arm64

import "fmt"

// Moves into general registers: the move-wide immediates, the constant materializer that picks
// among them and the logical immediates, and register-to-register MOV.

// movWide encodes the move-wide immediate class: sf opc 100101 hw imm16 Rd, with opc 00 MOVN,
// 10 MOVZ, 11 MOVK (Arm ARM C4.1, "Move wide (immediate)"). shift is 0 or 16 at W32, also
// 32 or 48 at W64.
func movWide(opc uint32, w Width, rd Reg, imm uint16, shift uint8) Inst {
	if shift%16 != 0 || int(shift) >= w.Bits() {
		panic(fmt.Sprintf("arm64: move-wide shift %d not valid at %v", shift, w))
	}
	return Inst{word: sf(w)<<31 | opc<<29 | 0x12800000 | uint32(shift/16)<<21 | uint32(imm)<<5 | rz(rd)}
}

// Movz encodes MOVZ: rd = imm << shift, the other bits zero. Arm ARM C6.2, MOVZ.
func Movz(w Width, rd Reg, imm uint16, shift uint8) Inst { return movWide(2, w, rd, imm, shift) }

// Movn encodes MOVN: rd = ^(imm << shift), truncated to w bits. Arm ARM C6.2, MOVN.
func Movn(w Width, rd Reg, imm uint16, shift uint8) Inst { return movWide(0, w, rd, imm, shift) }

// Movk encodes MOVK: replaces the 16 bits of rd at shift by imm and keeps the others. Arm ARM
// C6.2, MOVK.
func Movk(w Width, rd Reg, imm uint16, shift uint8) Inst { return movWide(3, w, rd, imm, shift) }

// MovImm returns the shortest sequence that sets rd, one of X0–X30, to the low w bits of v
// (zero-extended to 64 bits at W32). It tries, in order of length:
//   - one MOVZ or MOVN, when at most one 16-bit chunk differs from all zeros or all ones;
//   - one ORR with XZR, when v is a bitmask immediate ([LogicalImm]);
//   - at W64, ORR of a bitmask immediate then one MOVK, when replacing one chunk makes v a
//     bitmask immediate and MOVZ or MOVN would take three or four instructions;
//   - MOVZ then MOVKs for the chunks that are not zero, or MOVN then MOVKs for those that are
//     not all ones, whichever is shorter.
//
// This is the search LLVM's AArch64ExpandImm does, less its rarer two-ORR sequences.
func MovImm(w Width, rd Reg, v uint64) []Inst {
	if rd == SP || rd == XZR {
		panic(fmt.Sprintf("arm64: MovImm into %v", rd))
	}
	if sf(w) == 0 {
		v &= 0xFFFFFFFF
	}
	n := w.Bits() / 16 // chunks
	chunk := func(x uint64, i int) uint16 { return uint16(x >> (16 * i)) }
	zeros, ones := 0, 0
	for i := range n {
		switch chunk(v, i) {
		case 0:
			zeros++
		case 0xFFFF:
			ones++
		}
	}
	useMovn := ones > zeros
	if n-max(zeros, ones) > 1 {
		if _, _, _, ok := LogicalImm(w, v); ok {
			return []Inst{OrrImm(w, rd, XZR, v)}
		}
	}
	if n-max(zeros, ones) > 2 {
		// One chunk replaced by 0, all ones or a copy of another chunk may make a bitmask:
		// 0x00ff00ff_12ff00ff is 0x00ff00ff_00ff00ff with chunk 2 set by MOVK.
		for i := range n {
			for j := -2; j < n; j++ {
				c := uint64(0)
				switch {
				case j == i:
					continue
				case j == -1:
					c = 0xFFFF
				case j >= 0:
					c = uint64(chunk(v, j))
				}
				x := v&^(0xFFFF<<(16*i)) | c<<(16*i)
				if _, _, _, ok := LogicalImm(w, x); ok {
					return []Inst{OrrImm(w, rd, XZR, x), Movk(w, rd, chunk(v, i), uint8(16*i))}
				}
			}
		}
	}
	// MOVZ (MOVN) sets the first chunk that is not zero (all ones), or chunk 0 if every one
	// is; a MOVK then sets each later chunk that differs from that background.
	background := uint16(0)
	if useMovn {
		background = 0xFFFF
	}
	first := 0
	for first < n-1 && chunk(v, first) == background {
		first++
	}
	if chunk(v, first) == background {
		first = 0
	}
	insts := make([]Inst, 0, n)
	if useMovn {
		insts = append(insts, Movn(w, rd, ^chunk(v, first), uint8(16*first)))
	} else {
		insts = append(insts, Movz(w, rd, chunk(v, first), uint8(16*first)))
	}
	for i := first + 1; i < n; i++ {
		if c := chunk(v, i); c != background {
			insts = append(insts, Movk(w, rd, c, uint8(16*i)))
		}
	}
	return insts
}

// Mov encodes a register-to-register move rd = rm. With SP on either side it is ADD rd, rm, #0
// (Arm ARM C6.2, MOV (to/from SP)); otherwise ORR rd, xzr, rm (MOV (register)). At W32 the
// upper half of rd is zeroed.
func Mov(w Width, rd, rm Reg) Inst {
	if rd == SP || rm == SP {
		return AddImm(w, rd, rm, 0)
	}
	return Orr(w, rd, XZR, rm)
}
