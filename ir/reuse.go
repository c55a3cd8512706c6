package ir

import "sync"

// Reusing the arrays of released bodies (issue 21). A worker builds, compiles and
// releases one body after another, and each body's instructions and values were two fresh
// arrays: on encoding/json's test binary at -O0 a fifth of all the compiler allocated,
// which the collector then had to find dead again. Release hands them to a pool that
// Reserve takes them from, so in the steady state each worker keeps one pair, grown to the
// largest body it has built.

// reuseMax is the most elements an array may have to go back to the pool. An array of a
// huge function's body stays out, as the frontend's pooled lowerers do (issue 19): pooled,
// it would stay alive through the next body's selection and allocation, the compiler's
// peak. 32,768 instructions are a body of about 80 KB of wasm code, past nearly every
// function of real programs.
const reuseMax = 1 << 15

var (
	instrPool sync.Pool // of *[]Instr, empty, cleared
	valuePool sync.Pool // of *[]ValueData, empty
	blockPool sync.Pool // of *[]Block, empty, cleared
)

// Reserve gives f, which has no body, empty Instrs and Values with room for at least
// instrs instructions and values values, and empty Blocks, reusing the arrays of a body
// released before ([Func.Release]) when one is large enough. A source that can estimate
// the size of the body it builds calls it first ([BodySource]).
func (f *Func) Reserve(instrs, values int) {
	f.Instrs = reuse[Instr](&instrPool, instrs)
	f.Values = reuse[ValueData](&valuePool, values)
	// Blocks, grown by one per block from nothing, were 5% of what the compiler
	// allocated at -O0 on encoding/json's test binary; any released array will do, and
	// it grows to the worker's largest body.
	f.Blocks = reuse[Block](&blockPool, 0)
}

// reuse returns an empty slice of capacity at least n, from p if it holds one.
func reuse[T any](p *sync.Pool, n int) []T {
	if s, ok := p.Get().(*[]T); ok && cap(*s) >= n {
		return (*s)[:0]
	}
	return make([]T, 0, n)
}

// recycle puts s back into p, unless it is too large to keep. It clears s up to its
// length, so that the pool keeps no instruction's operands (or block's lists) alive and a
// reused array reads as a new one would; past the length the array is clean already, as
// bodies only ever append to these three (clearing the whole capacity, grown to the
// largest body, cost more than the allocations saved; compaction makes new arrays).
func recycle[T any](p *sync.Pool, s []T) {
	if s == nil || cap(s) > reuseMax {
		return
	}
	clear(s)
	s = s[:0]
	p.Put(&s)
}
