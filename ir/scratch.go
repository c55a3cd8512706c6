package ir

import "sync"

// Scratch arrays (issue 21). A worker runs pass after pass over one function, then the
// next function: the dense arrays a pass indexes by value or block for its own duration
// (a substitution, the in-edge index, GVN's and RLE's hash buckets) come from these pools
// and go back when the pass ends, so that in the steady state a worker allocates none of
// them, instead of one of each per pass and function for the collector to find dead.
// sync.Pool keeps them per processor, which is per worker.

// scratchMax is the most elements a scratch array may have to go back to a pool: a huge
// function's arrays stay out, as the reused bodies' do ([reuseMax]), so that they do not
// stay alive next to the next function's.
const scratchMax = 1 << 17

var (
	valuesPool     sync.Pool // of *[]Value
	int32sPool     sync.Pool // of *[]int32
	callsPool      sync.Pool // of *[]*BlockCall, cleared
	uint64sPool    sync.Pool // of *[]uint64
	boolsPool      sync.Pool // of *[]bool
	bytesPool      sync.Pool // of *[]uint8
	blockCallsPool sync.Pool // of *[]BlockCall, cleared
	instrIDsPool   sync.Pool // of *[]InstrID
)

// takeScratch returns a slice of length n from p if it holds one large enough, else a
// new one with room for room elements; its contents are undefined.
func takeScratch[T any](p *sync.Pool, n, room int) []T {
	if s, ok := p.Get().(*[]T); ok && cap(*s) >= n {
		return (*s)[:n]
	}
	return make([]T, n, max(n, room))
}

// takeZeroed is takeScratch with every element zero.
func takeZeroed[T any](p *sync.Pool, n int) []T {
	s := takeScratch[T](p, n, 0)
	clear(s)
	return s
}

// giveScratch puts s back into p, unless it is too large to keep.
func giveScratch[T any](p *sync.Pool, s []T) {
	if cap(s) == 0 || cap(s) > scratchMax {
		return
	}
	s = s[:0]
	p.Put(&s)
}
