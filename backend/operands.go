package backend

import (
	"sync"

	"github.com/wasmc/wasmc/regalloc"
)

// OperandLists hands out machine instructions' operand lists as parts of chunks, rather
// than an array per instruction (issue 21): instruction selection made one allocation
// per instruction for them. Each list is capped at its length, so that an append to it
// copies it and never writes into the next list.
type OperandLists struct {
	chunk []regalloc.Operand
	all   [][]regalloc.Operand // every chunk handed out from, for recycle
}

// operandPool holds the chunks of encoded functions for the selection of the next ones
// (issue 21): a function's chunks were 9% of what the compiler allocated at -O0 on
// encoding/json's test binary. Operands hold no pointers, so a chunk needs no clearing.
var operandPool sync.Pool // of *[]regalloc.Operand, empty

// reuseOperandsMax is the most operands a chunk may hold to go back to the pool, for the
// reason of reuseInstsMax.
const reuseOperandsMax = 1 << 17

// recycle gives l's chunks to the pool: the instructions whose lists they hold are
// encoded and of no more use.
func (c *OperandLists) recycle() {
	for _, ch := range c.all {
		if cap(ch) <= reuseOperandsMax {
			ch = ch[:0]
			operandPool.Put(&ch)
		}
	}
	*c = OperandLists{}
}

// Make returns a list holding o. A new chunk holds at least hint operands, what the
// function being selected will need about.
func (c *OperandLists) Make(hint int, o ...regalloc.Operand) []regalloc.Operand {
	n := len(o)
	if n == 0 {
		return nil
	}
	c.room(n, hint)
	at := len(c.chunk)
	// No append's copy: most lists are one to three operands, for which a call of
	// memmove and append's checks cost more than the copy (issue 21). A pair is copied
	// as an array, in one 16-byte move, where a loop copies an Operand field by field
	// (and three as an array would call memmove).
	c.chunk = c.chunk[:at+n]
	l := c.chunk[at : at+n : at+n]
	switch n {
	case 1:
		l[0] = o[0]
	case 2:
		*(*[2]regalloc.Operand)(l) = *(*[2]regalloc.Operand)(o)
	case 3:
		*(*[2]regalloc.Operand)(l) = *(*[2]regalloc.Operand)(o)
		l[2] = o[2]
	default:
		for k, x := range o {
			l[k] = x
		}
	}
	return l
}

// More returns list o, from Make or More, with extra after it: grown in place when o is
// the chunk's last list and the chunk has room, else copied into the chunk.
func (c *OperandLists) More(hint int, o []regalloc.Operand, extra ...regalloc.Operand) []regalloc.Operand {
	n, used := len(o), len(c.chunk)
	if n > 0 && used >= n && &c.chunk[used-1] == &o[n-1] && cap(c.chunk)-used >= len(extra) {
		c.chunk = append(c.chunk, extra...)
		return c.chunk[used-n : len(c.chunk) : len(c.chunk)]
	}
	c.room(n+len(extra), hint)
	at := len(c.chunk)
	c.chunk = append(append(c.chunk, o...), extra...)
	return c.chunk[at:len(c.chunk):len(c.chunk)]
}

// room makes sure the chunk has room for n more operands.
func (c *OperandLists) room(n, hint int) {
	// The test inlines into Make and More; a new chunk is a call (issue 21).
	if cap(c.chunk)-len(c.chunk) < n {
		c.grow(n, hint)
	}
}

// grow starts a new chunk with room for n operands, of hint's size if larger.
func (c *OperandLists) grow(n, hint int) {
	size := max(64, n, hint)
	if ch, ok := operandPool.Get().(*[]regalloc.Operand); ok && cap(*ch) >= size {
		c.chunk = *ch
	} else {
		c.chunk = make([]regalloc.Operand, 0, size)
	}
	c.all = append(c.all, c.chunk)
}
