package arm64

import (
	"encoding/binary"
	"fmt"

	"github.com/wasmc/wasmc/backend"
)

// Asm is a code buffer: it appends [Inst]s and resolves the PC-relative fields of branches,
// ADR and literal loads that target [Label]s, patching each field when its label is bound.
// References to things outside the buffer (another function, a global) are returned as
// [Ref]s for the caller to turn into relocations. The zero value is ready to use.
type Asm struct {
	buf    []byte
	labels []label
	fixups []fixup
	err    error // the first branch found out of reach
}

// Label is a position in an [Asm]'s buffer that may be bound after branches to it are emitted.
// It is backend's label type, so that the shared bookkeeping of encoding ([backend.Emitter])
// can hold it.
type Label = backend.Label

type label struct {
	off     int32 // offset it is bound to, or -1
	pending int32 // index+1 of the first fixup waiting for it, 0 if none
}

// fixup is an instruction whose PC-relative field waits for its label.
type fixup struct {
	off  int32 // of the instruction
	kind relKind
	next int32 // index+1 of the next fixup for the same label
}

// Ref is an instruction whose field a linker must fill in: a relocation of Kind at offset Off
// in the buffer, the offset of the instruction word itself, as ELF's r_offset for AArch64 and
// Mach-O's r_address are.
type Ref struct {
	Off  int
	Kind backend.RelocKind
}

// RangeError reports a PC-relative field that cannot hold the distance to its target: a
// conditional branch or TBZ in a function too large for it, or a relocation out of reach.
// Instruction selection avoids the first by branching around a B, which reaches ±128 MiB.
type RangeError struct {
	Off   int64  // offset (or address) of the instruction
	Dist  int64  // the distance it needed, in bytes
	Field string // the field and the instructions that have it
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("arm64: instruction at %#x cannot reach %+#x bytes away: %s", e.Off, e.Dist, e.Field)
}

// Len returns the number of bytes emitted so far, the offset of the next instruction.
func (a *Asm) Len() int { return len(a.buf) }

// Bytes returns the buffer. Fields for labels not yet bound hold their initial distance.
func (a *Asm) Bytes() []byte { return a.buf }

// Emit appends the instructions, as a sequence from [MovImm] or [Popcnt].
func (a *Asm) Emit(insts ...Inst) {
	for _, i := range insts {
		a.buf = binary.LittleEndian.AppendUint32(a.buf, i.word)
	}
}

// NewLabel returns a label not yet bound.
func (a *Asm) NewLabel() Label {
	a.labels = append(a.labels, label{off: -1})
	return Label(len(a.labels) - 1)
}

// Bind binds l to the current offset and patches every instruction already emitted for it.
func (a *Asm) Bind(l Label) {
	lb := &a.labels[l]
	if lb.off >= 0 {
		panic(fmt.Sprintf("arm64: label %d bound twice", l))
	}
	lb.off = int32(len(a.buf))
	for f := lb.pending; f != 0; f = a.fixups[f-1].next {
		fx := a.fixups[f-1]
		a.patch(int(fx.off), fx.kind, len(a.buf))
	}
	lb.pending = 0
}

// Offset returns the offset l is bound to, and false if it is not bound yet.
func (a *Asm) Offset(l Label) (int, bool) {
	off := a.labels[l].off
	return int(off), off >= 0
}

// patch points the field of kind k of the instruction at off to target, or records a
// RangeError if it cannot reach.
func (a *Asm) patch(off int, k relKind, target int) {
	d := int64(target - off)
	if !k.fits(d) {
		if a.err == nil {
			a.err = &RangeError{Off: int64(off), Dist: d, Field: relRange[k].name}
		}
		return
	}
	b := a.buf[off : off+4]
	binary.LittleEndian.PutUint32(b, setRel(binary.LittleEndian.Uint32(b), k, d))
}

// EmitTo appends i, which must have a label-relative field (B, BL, B.cond, CBZ, CBNZ, TBZ,
// TBNZ, LDR literal, ADR or a data word of [Asm.WordTo]; not ADRP, whose page distance
// depends on where the code is loaded), and points that field at l: now if l is bound, else when it is. A distance the
// field cannot hold is reported by [Asm.Finish].
func (a *Asm) EmitTo(i Inst, l Label) {
	if i.rel == relNone || i.rel == relAdrp {
		panic(fmt.Sprintf("arm64: EmitTo of %v, which has no label-relative field", i))
	}
	off := len(a.buf)
	a.Emit(i)
	lb := &a.labels[l]
	if lb.off >= 0 {
		a.patch(off, i.rel, int(lb.off))
		return
	}
	a.fixups = append(a.fixups, fixup{off: int32(off), kind: i.rel, next: lb.pending})
	lb.pending = int32(len(a.fixups))
}

// WordTo appends a 32-bit data word holding the distance in bytes from the word itself to l,
// as a jump table's entry does: the code that reads the entry adds it to the entry's address.
func (a *Asm) WordTo(l Label) { a.EmitTo(Inst{rel: relWord}, l) }

// B emits a branch to l.
func (a *Asm) B(l Label) { a.EmitTo(B(0), l) }

// BCond emits a branch to l taken if c holds.
func (a *Asm) BCond(c Cond, l Label) { a.EmitTo(BCond(c, 0), l) }

// Bl emits a call to l.
func (a *Asm) Bl(l Label) { a.EmitTo(Bl(0), l) }

// EmitRef appends i and returns where it is, as a reference of kind k for the linker:
//   - [backend.RelocARM64Call26]: i is B or BL;
//   - [backend.RelocARM64AdrpPage21]: i is ADRP;
//   - [backend.RelocARM64AddLo12]: i is a 64-bit ADD (immediate) with no shift, the ADD of an
//     ADRP/ADD pair;
//   - [backend.RelocARM64Ldst64Lo12]: i is a 64-bit LDR or STR (unsigned offset) of an x or a
//     d register, the load or store of an ADRP/LDR pair.
//
// The field's current contents do not matter; [ApplyReloc] overwrites them.
func (a *Asm) EmitRef(i Inst, k backend.RelocKind) Ref {
	if !relocFits(i, k) {
		panic(fmt.Sprintf("arm64: EmitRef of %v as relocation kind %d", i, k))
	}
	r := Ref{Off: len(a.buf), Kind: k}
	a.Emit(i)
	return r
}

// relocFits reports whether i has the field a relocation of kind k fills in.
func relocFits(i Inst, k backend.RelocKind) bool {
	switch k {
	case backend.RelocARM64Call26:
		return i.rel == relImm26
	case backend.RelocARM64AdrpPage21:
		return i.rel == relAdrp
	case backend.RelocARM64AddLo12:
		return i.word&0xFFC00000 == 0x91000000 // sf=1 op=0 S=0 100010 sh=0
	case backend.RelocARM64Ldst64Lo12:
		switch i.word & 0xFFC00000 { // size=11, unsigned offset, opc 00 or 01, V 0 or 1
		case 0xF9000000, 0xF9400000, 0xFD000000, 0xFD400000:
			return true
		}
	}
	return false
}

// ApplyReloc fills in the field of the instruction in b (its four bytes) for a relocation of
// kind k at address place that refers to address value (S + A), as the ELF for the Arm 64-bit
// Architecture (AArch64) ABI defines R_AARCH64_CALL26 (value - place, ±128 MiB),
// R_AARCH64_ADR_PREL_PG_HI21 (Page(value) - Page(place), ±4 GiB),
// R_AARCH64_ADD_ABS_LO12_NC (value & 0xfff) and R_AARCH64_LDST64_ABS_LO12_NC (value & 0xff8,
// scaled by 8; value must be 8-byte aligned).
func ApplyReloc(b []byte, k backend.RelocKind, place, value uint64) error {
	w := binary.LittleEndian.Uint32(b)
	switch k {
	case backend.RelocARM64Call26, backend.RelocARM64AdrpPage21:
		rk, d := relImm26, int64(value-place)
		if k == backend.RelocARM64AdrpPage21 {
			rk, d = relAdrp, int64(value&^0xFFF-place&^0xFFF)
		}
		if !rk.fits(d) {
			return &RangeError{Off: int64(place), Dist: d, Field: relRange[rk].name}
		}
		w = setRel(w, rk, d)
	case backend.RelocARM64AddLo12:
		w = w&^(0xFFF<<10) | uint32(value&0xFFF)<<10
	case backend.RelocARM64Ldst64Lo12:
		if value&7 != 0 {
			return fmt.Errorf("arm64: 64-bit load or store at %#x of misaligned address %#x", place, value)
		}
		w = w&^(0xFFF<<10) | uint32(value&0xFFF>>3)<<10
	default:
		return fmt.Errorf("arm64: relocation kind %d is not arm64's", k)
	}
	binary.LittleEndian.PutUint32(b, w)
	return nil
}

// Align pads the buffer with NOPs up to a multiple of n, a power of two at least 4.
func (a *Asm) Align(n int) {
	if n < 4 || n&(n-1) != 0 {
		panic(fmt.Sprintf("arm64: alignment %d is not a power of two of at least 4", n))
	}
	for len(a.buf)&(n-1) != 0 {
		a.Emit(Nop())
	}
}

// Finish returns the code, or an error: a [*RangeError] for a field that cannot reach its
// label, or one naming a label that is branched to but never bound.
func (a *Asm) Finish() ([]byte, error) {
	if a.err != nil {
		return nil, a.err
	}
	for l, lb := range a.labels {
		if lb.off < 0 && lb.pending != 0 {
			return nil, fmt.Errorf("arm64: label %d is used but never bound", l)
		}
	}
	return a.buf, nil
}
