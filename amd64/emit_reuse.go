package amd64

import (
	"sync"

	"github.com/wasmc/wasmc/backend"
)

// Encode's measuring pass builds all a final pass builds (the code, its relocations and
// trap sites, labels, fixups, the jumps) only to learn which jumps are short, and both
// passes grew every list from nothing: on encoding/json's test binary, a tenth of what
// the compiler allocated (issue 21). The measuring pass now runs in an emitter kept per
// worker, and the final pass writes the code, relocations and trap sites into arrays sized
// by the measuring pass, which the function keeps.

// measuring holds the emitters of measuring passes, one per worker in the steady state.
var measuring emitterPool

// reuseCodeMax is the most bytes of code an emitter may have measured to go back to the
// pool: a huge function's lists would stay alive through the next function's selection
// and allocation, the compiler's peak (issue 19).
const reuseCodeMax = 1 << 20

type emitterPool struct{ p sync.Pool }

func (p *emitterPool) get() *emitter {
	if e, ok := p.p.Get().(*emitter); ok {
		return e
	}
	return &emitter{}
}

func (p *emitterPool) put(e *emitter) {
	if cap(e.a.buf) > reuseCodeMax || cap(e.redos) > reuseCodeMax/4 {
		return
	}
	e.reset()
	p.p.Put(e)
}

// reset readies e for a pass over any function, keeping its lists' capacity.
func (e *emitter) reset() {
	e.Emitter.Reset()
	e.f, e.b, e.prev, e.prevRelocs, e.editAt, e.runs = nil, 0, nil, nil, 0, 0
	e.a.buf, e.a.labels, e.a.fixups = e.a.buf[:0], e.a.labels[:0], e.a.fixups[:0]
}

// emitArrays are the lists of an emitter that become a function's [backend.Code].
type emitArrays struct {
	buf    []byte
	relocs []backend.Reloc
	traps  []backend.TrapSite
}

// keep gives e the arrays the next pass writes its code, relocations and trap sites into,
// and returns those it had.
func (e *emitter) keep(buf []byte, relocs []backend.Reloc, traps []backend.TrapSite) emitArrays {
	old := emitArrays{e.a.buf, e.Relocs, e.Traps}
	e.a.buf, e.Relocs, e.Traps = buf, relocs, traps
	return old
}
