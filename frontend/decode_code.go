package frontend

import (
	"errors"
	"math"
)

// The code section, and the expressions that function bodies and constant expressions
// share: instructions up to the end that closes them, with their blocks properly nested.

// codeSection reads the function bodies. Whether there are as many as the function section
// declares is for finish to say, after any out-of-order section has been reported.
func (d *decoder) codeSection(r *reader) {
	d.codeAt = r.offset()
	n, c := r.vecLen(3) // body size, no locals, end
	d.codeCount = n
	d.m.Codes = makeVec[Code](c)
	if workers := codeDecoders(); workers > 1 && len(r.buf) >= parallelCodeMin {
		d.codesParallel(r, n, workers)
		return
	}
	for i := 0; i < n && r.err == nil; i++ {
		d.fn = i
		d.m.Codes = append(d.m.Codes, d.code(r))
	}
	if r.err == nil {
		d.fn = -1
	}
}

// code reads one entry of the code section: the body size, the local declarations, and
// the instructions, which must fill the body exactly.
func (d *decoder) code(r *reader) Code {
	size := r.length()
	if r.err != nil {
		return Code{}
	}
	start := r.pos
	r.pos += size
	b := reader{buf: r.buf[start:r.pos:r.pos], base: r.base + int64(start)}
	var c Code
	c.Locals = b.locals()
	c.Offset = b.offset()
	first := b.pos
	refsAt := len(d.refs)
	d.expr(&b, true)
	if b.err == nil && !b.eof() {
		b.failf("section size mismatch")
	}
	if b.err != nil {
		r.err = b.err
		return Code{}
	}
	c.Body = b.buf[first:len(b.buf):len(b.buf)]
	// The bodies' references share one array; each body's is capped so that appending
	// to it never writes into the next one's.
	c.Refs, c.RefsRead = d.refs[refsAt:len(d.refs):len(d.refs)], true
	return c
}

// locals reads the local declarations. It keeps them as (count, type) pairs, never one
// entry per local: a body of a few bytes may declare 2^32-1 of them.
func (r *reader) locals() []LocalDecl {
	n, c := r.vecLen(2) // count, type
	ls := makeVec[LocalDecl](c)
	var total uint64
	for i := 0; i < n && r.err == nil; i++ {
		at := r.pos
		l := LocalDecl{Count: r.u32(), Type: r.valType()}
		total += uint64(l.Count)
		if total > math.MaxUint32 && r.err == nil {
			r.pos = at
			r.failf("too many locals")
		}
		ls = append(ls, l)
	}
	return ls
}

// constExpr reads a constant expression as encoded, up to and including its end. Which
// instructions it may hold is for the validator; here they need only be well formed.
func (d *decoder) constExpr(r *reader) ConstExpr {
	start := r.pos
	d.expr(r, false)
	if r.err != nil {
		return ConstExpr{}
	}
	return ConstExpr{Code: r.buf[start:r.pos:r.pos], Offset: r.base + int64(start)}
}

// Kinds of open block that expr tracks.
const (
	blockPlain byte = iota // the expression itself, block, loop, or if after its else
	blockIf                // if, before any else
)

// expr decodes instructions from r up to the end that closes the expression. The binary
// grammar nests blocks, so an else outside an if (or a second one), like a missing end,
// makes the binary malformed rather than merely invalid. In a function body, memory.init
// and data.drop need the data count section (it precedes the code section, so whether
// there is one is known here); the first that lacks it is reported by finish.
func (d *decoder) expr(r *reader, body bool) {
	stack := append(d.stack[:0], blockPlain)
	defer func() { d.stack = stack }()
	for r.err == nil {
		// Most instructions are in a short form and need no Instr; the others, and the
		// end of the buffer, go through ReadInstr, which reports any error.
		r.pos = skipPlain(r.buf, r.pos, &exprKinds)
		next, idx := skipShort(r.buf, r.pos)
		var op Opcode
		if next > 0 {
			op = Opcode(r.buf[r.pos])
		} else {
			if r.eof() {
				if body {
					r.failf("END opcode expected")
				} else {
					r.fail(ErrUnexpectedEOF)
				}
				return
			}
			var err error
			if next, err = ReadInstr(r.buf, r.pos, r.base, &d.in); err != nil {
				r.err = err
				return
			}
			op, idx = d.in.Op, d.in.Idx
		}
		if op < 0x100 && !exprSeen[op] { // most: nothing to track
			r.pos = next
			continue
		}
		switch op {
		case OpBlock, OpLoop:
			stack = append(stack, blockPlain)
		case OpIf:
			stack = append(stack, blockIf)
		case OpElse:
			if stack[len(stack)-1] != blockIf {
				r.failf("END opcode expected")
				return
			}
			stack[len(stack)-1] = blockPlain
		case OpEnd:
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				r.pos = next
				return
			}
		case OpCall, OpRefFunc:
			if body {
				d.refs = append(d.refs, idx)
			}
		case OpMemoryInit, OpDataDrop:
			if body && d.m.DataCount == nil && d.needCount == nil {
				d.needCount = &DecodeError{Offset: r.offset(), Section: "code", Func: d.fn,
					Err: errors.New("data count section required")}
			}
		}
		r.pos = next
	}
}

// exprSeen marks the one-byte opcodes that expr tracks; the others, and the prefixed
// ones it tracks (memory.init, data.drop), go through its switch.
var exprSeen = func() (k [0x100]bool) {
	for _, op := range []Opcode{OpBlock, OpLoop, OpIf, OpElse, OpEnd, OpCall, OpRefFunc} {
		k[op] = true
	}
	return k
}()

// exprKinds is shortKinds without the opcodes that expr tracks, for skipPlain to stop at.
var exprKinds = func() (k [0x100]shortKind) {
	for op := range k {
		if !exprSeen[op] {
			k[op] = shortKinds[op]
		}
	}
	return k
}()
