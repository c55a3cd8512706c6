package amd64

import (
	"fmt"

	"github.com/wasmc/wasmc/backend"
)

// Asm is a code buffer: it appends [Inst]s and resolves the PC-relative fields of jumps, calls
// and RIP-relative operands that target [Label]s, patching each field when its label is bound.
// Fields that target things outside the buffer (another function, a global) are returned as
// [Ref]s for the caller to turn into relocations. The zero value is ready to use.
type Asm struct {
	buf    []byte
	labels []label
	fixups []fixup
}

// Label is a position in an [Asm]'s buffer that may be bound after jumps to it are emitted.
// It is backend's label type, so that an Asm is a [backend.Assembler]: the shared encoding
// bookkeeping (trap stubs, jump tables, branch relaxation) holds amd64's labels.
type Label = backend.Label

type label struct {
	off     int32 // offset it is bound to, or -1
	pending int32 // index+1 of the first fixup waiting for it, 0 if none
}

// fixup is a PC-relative field waiting for its label.
type fixup struct {
	ref  Ref
	size uint8 // 1 or 4
	next int32 // index+1 of the next fixup for the same label
}

// Ref locates a PC-relative field in the buffer: the processor adds the field's value to End,
// the offset of the next instruction. For an ELF R_X86_64_PC32 or PLT32 relocation the
// addend is Off - End.
type Ref struct {
	Off int // offset of the 32-bit field
	End int // offset of the end of the instruction that holds it
}

// Len returns the number of bytes emitted so far, the offset of the next instruction.
func (a *Asm) Len() int { return len(a.buf) }

// Bytes returns the buffer. Fields for labels not yet bound hold their initial displacement.
func (a *Asm) Bytes() []byte { return a.buf }

// Emit appends i.
func (a *Asm) Emit(i Inst) { a.buf = append(a.buf, i.b[:i.n]...) }

// EmitRef appends i, which must have a rel32 or a RIP-relative disp32 field, and returns where
// that field is, for a relocation or a later [Asm.PatchRef].
func (a *Asm) EmitRef(i Inst) Ref {
	if i.rel == 0 || i.relSize != 4 {
		panic(fmt.Sprintf("amd64: EmitRef of %v, which has no 32-bit PC-relative field", i))
	}
	start := len(a.buf)
	a.Emit(i)
	return Ref{Off: start + int(i.rel), End: len(a.buf)}
}

// PatchRef sets r's field so that it points at offset target in the buffer.
func (a *Asm) PatchRef(r Ref, target int) { a.patch(r, 4, target) }

func (a *Asm) patch(r Ref, size uint8, target int) {
	d := target - r.End
	if size == 1 {
		if d != int(int8(d)) {
			panic(fmt.Sprintf("amd64: short jump at %#x cannot reach %#x", r.Off, target))
		}
		a.buf[r.Off] = byte(d)
		return
	}
	if d != int(int32(d)) {
		panic(fmt.Sprintf("amd64: field at %#x cannot reach %#x", r.Off, target))
	}
	a.buf[r.Off] = byte(d)
	a.buf[r.Off+1] = byte(d >> 8)
	a.buf[r.Off+2] = byte(d >> 16)
	a.buf[r.Off+3] = byte(d >> 24)
}

// NewLabel returns a label not yet bound.
func (a *Asm) NewLabel() Label {
	a.labels = append(a.labels, label{off: -1})
	return Label(len(a.labels) - 1)
}

// Bind binds l to the current offset and patches every field already emitted for it.
func (a *Asm) Bind(l Label) {
	lb := &a.labels[l]
	if lb.off >= 0 {
		panic(fmt.Sprintf("amd64: label %d bound twice", l))
	}
	lb.off = int32(len(a.buf))
	for f := lb.pending; f != 0; f = a.fixups[f-1].next {
		fx := a.fixups[f-1]
		a.patch(fx.ref, fx.size, len(a.buf))
	}
	lb.pending = 0
}

// Offset returns the offset l is bound to, and false if it is not bound yet.
func (a *Asm) Offset(l Label) (int, bool) {
	off := a.labels[l].off
	return int(off), off >= 0
}

// EmitTo appends i, which must have a PC-relative field (rel8, rel32 or a RIP-relative
// operand), and points that field at l: now if l is bound, else when it is.
func (a *Asm) EmitTo(i Inst, l Label) {
	if i.rel == 0 {
		panic(fmt.Sprintf("amd64: EmitTo of %v, which has no PC-relative field", i))
	}
	start := len(a.buf)
	a.Emit(i)
	a.fieldTo(start+int(i.rel), i.relSize, l)
}

// fieldTo points the field of size bytes at off, in the instruction that ends the buffer,
// at l: now if l is bound, else when it is.
func (a *Asm) fieldTo(off int, size uint8, l Label) {
	r := Ref{Off: off, End: len(a.buf)}
	lb := &a.labels[l]
	if lb.off >= 0 {
		a.patch(r, size, int(lb.off))
		return
	}
	a.fixups = append(a.fixups, fixup{ref: r, size: size, next: lb.pending})
	lb.pending = int32(len(a.fixups))
}

// The jumps append their bytes, as JmpRel8, JmpRel32, JccRel8 and JccRel32 encode them,
// straight to the buffer: making the instruction and copying it was most of a jump's
// time, and at -O0 every bounds check and branch has one, encoded in both of Encode's
// passes (issue 21).

// Jmp emits a jump to l: JMP rel8 if l is bound and within reach, else JMP rel32.
func (a *Asm) Jmp(l Label) {
	if a.reachesShort(l, 2) {
		a.JmpShort(l)
		return
	}
	a.buf = append(a.buf, 0xE9, 0, 0, 0, 0)
	a.fieldTo(len(a.buf)-4, 4, l)
}

// Jcc emits a jump to l taken if c holds: Jcc rel8 if l is bound and within reach, else
// Jcc rel32.
func (a *Asm) Jcc(c Cond, l Label) {
	if a.reachesShort(l, 2) {
		a.JccShort(c, l)
		return
	}
	a.buf = append(a.buf, 0x0F, 0x80+byte(c&15), 0, 0, 0, 0)
	a.fieldTo(len(a.buf)-4, 4, l)
}

// JmpShort emits JMP rel8 to l; binding l more than 127 bytes ahead panics.
func (a *Asm) JmpShort(l Label) {
	a.buf = append(a.buf, 0xEB, 0)
	a.fieldTo(len(a.buf)-1, 1, l)
}

// JccShort emits Jcc rel8 to l; binding l more than 127 bytes ahead panics.
func (a *Asm) JccShort(c Cond, l Label) {
	a.buf = append(a.buf, 0x70+byte(c&15), 0)
	a.fieldTo(len(a.buf)-1, 1, l)
}

// Call emits CALL rel32 to l.
func (a *Asm) Call(l Label) { a.EmitTo(CallRel32(0), l) }

// reachesShort reports whether l is bound and a rel8 instruction of n bytes emitted now
// reaches it.
func (a *Asm) reachesShort(l Label, n int) bool {
	off := a.labels[l].off
	if off < 0 {
		return false
	}
	d := int(off) - (len(a.buf) + n)
	return d == int(int8(d))
}

// Data appends bytes that are not instructions, such as a message process entry writes.
func (a *Asm) Data(b []byte) { a.buf = append(a.buf, b...) }

// Align pads the buffer with NOPs up to a multiple of n, a power of two.
func (a *Asm) Align(n int) {
	if n <= 0 || n&(n-1) != 0 {
		panic(fmt.Sprintf("amd64: alignment %d is not a power of two", n))
	}
	for pad := -len(a.buf) & (n - 1); pad > 0; {
		k := min(pad, MaxNop)
		a.Emit(Nop(k))
		pad -= k
	}
}

// Finish returns the code, or an error naming a label that is jumped to but never bound.
func (a *Asm) Finish() ([]byte, error) {
	for l, lb := range a.labels {
		if lb.off < 0 && lb.pending != 0 {
			return nil, fmt.Errorf("amd64: label %d is used but never bound", l)
		}
	}
	return a.buf, nil
}
