package arm64

import (
	"encoding/binary"
	"fmt"
)

// Inst is one encoded instruction: a 32-bit word, stored little-endian whatever the data
// endianness (Arm ARM chapter B2, "Endian support"), and the kind of its PC-relative field,
// if it has one, so that an [Asm] can point it at a [Label] or report it as a [Ref].
type Inst struct {
	word uint32
	rel  relKind
}

// Word returns the instruction word.
func (i Inst) Word() uint32 { return i.word }

// Bytes returns the encoded instruction, four bytes.
func (i Inst) Bytes() []byte { return binary.LittleEndian.AppendUint32(make([]byte, 0, 4), i.word) }

// Len returns the length of the encoding in bytes, always 4.
func (i Inst) Len() int { return 4 }

func (i Inst) String() string { return fmt.Sprintf("%08x", i.word) }

// relKind says which PC-relative field an instruction has. The distance is always from the
// address of the instruction itself: the pseudocode of each form adds the offset to PC.
type relKind uint8

const (
	relNone  relKind = iota
	relImm26         // B, BL: imm26 in bits 25:0, words; ±128 MiB
	relImm19         // B.cond, CBZ, CBNZ, LDR (literal): imm19 in bits 23:5, words; ±1 MiB
	relImm14         // TBZ, TBNZ: imm14 in bits 18:5, words; ±32 KiB
	relAdr           // ADR: immhi:immlo in bits 23:5 and 30:29, bytes; ±1 MiB
	relAdrp          // ADRP: immhi:immlo, 4 KiB pages; ±4 GiB
	relWord          // a 32-bit data word in the code (a jump table entry): bytes; ±2 GiB
)

// The reach of each field: a distance d fits if -lim <= d < lim and d is a multiple of unit.
var relRange = [...]struct {
	name      string
	lim, unit int64
}{
	relImm26: {"imm26 (B, BL)", 1 << 27, 4},
	relImm19: {"imm19 (B.cond, CBZ, CBNZ, LDR literal)", 1 << 20, 4},
	relImm14: {"imm14 (TBZ, TBNZ)", 1 << 15, 4},
	relAdr:   {"immhi:immlo (ADR)", 1 << 20, 1},
	relAdrp:  {"immhi:immlo (ADRP)", 1 << 32, 4096},
	relWord:  {"32-bit data word", 1 << 31, 1},
}

// fits reports whether distance d can be encoded in a field of kind k.
func (k relKind) fits(d int64) bool {
	r := relRange[k]
	return -r.lim <= d && d < r.lim && d%r.unit == 0
}

// setRel returns word with its field of kind k set to the distance d, which must fit.
func setRel(word uint32, k relKind, d int64) uint32 {
	switch k {
	case relImm26:
		return word&^0x03FFFFFF | uint32(d>>2)&0x03FFFFFF
	case relImm19:
		return word&^(0x7FFFF<<5) | uint32(d>>2)&0x7FFFF<<5
	case relImm14:
		return word&^(0x3FFF<<5) | uint32(d>>2)&0x3FFF<<5
	case relWord:
		return uint32(int32(d))
	case relAdrp:
		d >>= 12
		fallthrough
	case relAdr:
		return word&^(3<<29|0x7FFFF<<5) | uint32(d)&3<<29 | uint32(d>>2)&0x7FFFF<<5
	}
	panic("arm64: setRel of an instruction with no PC-relative field")
}

// pcRel encodes word with a PC-relative field of kind k holding d, panicking if d does not fit.
func pcRel(word uint32, k relKind, d int64) Inst {
	if !k.fits(d) {
		panic(fmt.Sprintf("arm64: PC-relative distance %#x does not fit %s", d, relRange[k].name))
	}
	return Inst{word: setRel(word, k, d), rel: k}
}

// sf returns the sf bit (bit 31) that selects 64-bit operation in the integer instructions.
func sf(w Width) uint32 {
	switch w {
	case W32:
		return 0
	case W64:
		return 1
	}
	panic(fmt.Sprintf("arm64: width %v not valid for a general register operation", w))
}

// ftype returns the ftype field (bits 23:22) of the scalar floating-point instructions:
// 00 single precision, 01 double (Arm ARM C7.2).
func ftype(w Width) uint32 {
	switch w {
	case W32:
		return 0
	case W64:
		return 1
	}
	panic(fmt.Sprintf("arm64: width %v not valid for a floating-point operation", w))
}

// rz returns the number of r in a field where 31 means the zero register: X0–X30 or XZR.
func rz(r Reg) uint32 {
	if r == SP || !r.IsGPR() {
		panic(fmt.Sprintf("arm64: %v is not valid where register 31 means xzr", r))
	}
	return r.Num()
}

// rsp returns the number of r in a field where 31 means the stack pointer: X0–X30 or SP.
func rsp(r Reg) uint32 {
	if r == XZR || !r.IsGPR() {
		panic(fmt.Sprintf("arm64: %v is not valid where register 31 means sp", r))
	}
	return r.Num()
}

// vr returns the number of r, which must be a SIMD&FP register.
func vr(r Reg) uint32 {
	if !r.IsV() {
		panic(fmt.Sprintf("arm64: %v is not a SIMD&FP register", r))
	}
	return r.Num()
}

// checkImm panics unless lo <= v <= hi.
func checkImm(what string, v, lo, hi int64) {
	if v < lo || v > hi {
		panic(fmt.Sprintf("arm64: %s %d out of range [%d, %d]", what, v, lo, hi))
	}
}
