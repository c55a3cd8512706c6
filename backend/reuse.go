package backend

import "sync"

// InstPool keeps the instruction arrays of encoded functions for the selection of the
// next ones (issue 21): a fresh array per function, of instructions that hold slices, was
// with Apply's larger copy a fifth of what the compiler allocated at -O0 on encoding/json's
// test binary, all of it zeroed, then scanned by the collector. An ISA keeps one pool,
// takes its selection's array from it ([InstPool.Get]) and gives it back once the function
// is encoded ([Func.RecycleInsts], through [Recycler]). The zero value is ready to use.
type InstPool[I any] struct{ p sync.Pool }

// reuseInstsMax is the most instructions an array may hold to go back to a pool: a huge
// function's would stay alive through the next function's selection and allocation, the
// compiler's peak (issue 19). 32,768 are past nearly every function of real programs.
const reuseInstsMax = 1 << 15

// Get returns an empty array with room for at least n instructions, one the pool holds
// if it is large enough.
func (p *InstPool[I]) Get(n int) []I {
	if s, ok := p.p.Get().(*[]I); ok && cap(*s) >= n {
		return *s
	}
	return make([]I, 0, n)
}

// put gives s, cleared up to its length and clean beyond it, back to the pool.
func (p *InstPool[I]) put(s []I) {
	if s == nil || cap(s) > reuseInstsMax {
		return
	}
	clear(s)
	s = s[:0]
	p.p.Put(&s)
}

// Recycler is a [MachineFunc] whose storage can serve the next function once it is
// encoded. [Compile] calls Recycle after Encode; the function is not used again.
type Recycler interface {
	Recycle()
}

// RecycleInsts gives f's instructions to p, for an ISA's Recycle: f must be finished and
// encoded, and is of no more use. Apply and jump threading leave nothing past the
// instructions' length, so that only those need clearing.
func (f *Func[I, P]) RecycleInsts(p *InstPool[I]) {
	if f.Finished {
		p.put(f.Insts)
	}
	f.Insts = nil
}
