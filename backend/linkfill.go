package backend

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// fill copies the runtime's code and every function's into text at the offsets text()
// chose, padding the gaps, and applies their relocations with l's addresses. It makes
// k.moves too, alongside: each of its bytes lands in a fresh page of the file, which costs
// more than the copy.
//
// The functions are copied and relocated in parallel, in contiguous chunks: the layout
// fixes every byte's place before the workers start, so the result does not depend on
// their timing. That holds only while each relocation patches its own function's bytes,
// which is all a compiler bug would break; so any failure, whatever it is, redoes the whole
// text serially (fillSerial), which reports the first error in index order as a serial
// link always has, and leaves the bytes a serial link would.
func (k *linker) fill(l *Layout) error {
	if k.serial {
		return k.fillSerial(l)
	}
	text := k.img.Text.Data
	end := k.rtOff + uint64(copy(text[k.rtOff:], k.rt.Bytes))
	if k.relocate(l, text[:end], k.rtOff, k.rt.Relocs) != nil {
		return k.fillSerial(l)
	}
	moves := splitMoves(k.moves)
	chunks := k.chunks()
	var next atomic.Int32
	var failed atomic.Bool
	var wg sync.WaitGroup
	work := func() {
		defer wg.Done()
		for !failed.Load() {
			c := int(next.Add(1)) - 1
			if c < len(moves) {
				copy(moves[c].dst, moves[c].src)
				continue
			}
			c -= len(moves)
			if c >= len(chunks)-1 {
				return
			}
			if !k.fillFuncs(l, chunks[c], chunks[c+1]) {
				failed.Store(true)
			}
		}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(moves)+len(chunks)-1))
	wg.Add(workers)
	for range workers - 1 {
		go work()
	}
	work()
	wg.Wait()
	if failed.Load() {
		return k.fillSerial(l)
	}
	return nil
}

// fillChunkBytes is about how many bytes of code one unit of fill's work copies: small
// enough that two workers finish together, large enough that handing a chunk out is free.
const fillChunkBytes = 1 << 20

// splitMoves splits moves into pieces of at most fillChunkBytes.
func splitMoves(moves []move) []move {
	var out []move
	for _, m := range moves {
		for len(m.src) > fillChunkBytes {
			out = append(out, move{m.dst[:fillChunkBytes], m.src[:fillChunkBytes]})
			m.dst, m.src = m.dst[fillChunkBytes:], m.src[fillChunkBytes:]
		}
		out = append(out, m)
	}
	return out
}

// chunks splits the functions into contiguous runs of about fillChunkBytes each: chunk c is
// functions chunks[c] up to chunks[c+1].
func (k *linker) chunks() []int {
	cuts := []int{0}
	n := 0
	for i, c := range k.p.Code {
		if c == nil {
			continue
		}
		n += len(c.Bytes) + 16
		if n >= fillChunkBytes {
			cuts = append(cuts, i+1)
			n = 0
		}
	}
	if cuts[len(cuts)-1] != len(k.p.Code) {
		cuts = append(cuts, len(k.p.Code))
	}
	return cuts
}

// fillFuncs copies functions from up to to, with the padding before each, and relocates
// each within its own bytes. It reports whether every relocation succeeded.
func (k *linker) fillFuncs(l *Layout, from, to int) bool {
	text := k.img.Text.Data
	end := k.codeEnd(from)
	for i := from; i < to; i++ {
		c := k.p.Code[i]
		if c == nil {
			continue
		}
		off := k.funcOff[i]
		k.pad(text[end:off])
		end = off + uint64(copy(text[off:], c.Bytes))
		if k.relocate(l, text[:end], off, c.Relocs) != nil {
			return false
		}
	}
	return true
}

// codeEnd is the text offset where the code before function i ends: the last defined
// function's before it, or the runtime's.
func (k *linker) codeEnd(i int) uint64 {
	for j := i - 1; j >= 0; j-- {
		if c := k.p.Code[j]; c != nil {
			return k.funcOff[j] + uint64(len(c.Bytes))
		}
	}
	return k.rtOff + uint64(len(k.rt.Bytes))
}

// pad fills the gap before a function: int3 on amd64, so that a jump into it stops at
// once, and zeros elsewhere.
func (k *linker) pad(b []byte) {
	v := byte(0)
	if k.p.Arch == ArchAMD64 {
		v = 0xcc
	}
	for j := range b {
		b[j] = v
	}
}

// fillSerial is fill one function after another: all the code, then the relocations in
// order, so that the first failure in index order is the one reported.
func (k *linker) fillSerial(l *Layout) error {
	for _, m := range k.moves {
		copy(m.dst, m.src)
	}
	text := k.img.Text.Data
	end := k.rtOff + uint64(copy(text[k.rtOff:], k.rt.Bytes))
	for i, c := range k.p.Code {
		if c != nil {
			off := k.funcOff[i]
			k.pad(text[end:off])
			end = off + uint64(copy(text[off:], c.Bytes))
		}
	}
	if err := k.relocate(l, text, k.rtOff, k.rt.Relocs); err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	for i, c := range k.p.Code {
		if c == nil {
			continue
		}
		if err := k.relocate(l, text, k.funcOff[i], c.Relocs); err != nil {
			return fmt.Errorf("$%s: %w", k.m.Funcs[i].Name, err)
		}
	}
	return nil
}
