package driver

import (
	"bytes"
	"strings"
	"sync"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// dumper implements --dump ([Dump]). Functions go through the passes and code generation
// in parallel, each on its own from lowering to encoding, so it collects each function's
// text, every phase of it in order, and writes the functions out in function order at the
// end: the output is the same on one core and on many.
type dumper struct {
	d      *Dump
	all    bool
	phases map[string]bool
	name   string // the selected function's name without $, or ""

	mu   sync.Mutex
	text map[*ir.Func]*bytes.Buffer // what each function has to print since the last flush
}

func newDumper(d *Dump) *dumper {
	p := &dumper{d: d, phases: map[string]bool{}, name: strings.TrimPrefix(d.Func, "$"), text: map[*ir.Func]*bytes.Buffer{}}
	for _, ph := range d.Phases {
		p.phases[ph] = true
		p.all = p.all || ph == "all"
	}
	return p
}

// wants reports whether f's code after phase is to be printed.
func (p *dumper) wants(phase string, f *ir.Func) bool {
	return (p.all || p.phases[phase]) && (p.name == "" || f.Name == p.name)
}

// add records f's text after phase; write prints it.
func (p *dumper) add(phase string, f *ir.Func, write func(*bytes.Buffer)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	buf := p.text[f]
	if buf == nil {
		buf = new(bytes.Buffer)
		p.text[f] = buf
	}
	buf.WriteString("; $" + f.Name + " after " + phase + "\n")
	write(buf)
	buf.WriteString("\n")
}

// dumpFunc records f's IR after phase, if selected.
func (b *build) dumpFunc(phase string, f *ir.Func) {
	if b.dump != nil && b.dump.wants(phase, f) {
		b.dump.add(phase, f, func(w *bytes.Buffer) { w.WriteString(f.String()) })
	}
}

// passDump is ir.Config.Dump for the passes, or nil.
func (b *build) passDump() func(string, *ir.Func) {
	p := b.dump
	if p == nil {
		return nil
	}
	return func(pass string, f *ir.Func) {
		if p.wants(pass, f) {
			p.add(pass, f, func(w *bytes.Buffer) { w.WriteString(f.String()) })
		}
	}
}

// codeDump is backend.Config.Dump, or nil. Backend's "finish" is allocation applied,
// which --dump calls regalloc.
func (b *build) codeDump() func(string, *ir.Func, backend.MachineFunc) {
	p := b.dump
	if p == nil {
		return nil
	}
	return func(stage string, f *ir.Func, mf backend.MachineFunc) {
		phase := stage
		if stage == "finish" {
			phase = dumpRegalloc
		}
		if p.wants(phase, f) {
			p.add(phase, f, func(w *bytes.Buffer) { mf.Format(w) })
		}
	}
}

// flushDumps writes what the functions of m have collected, in function order.
func (b *build) flushDumps(m *ir.Module) {
	p := b.dump
	if p == nil || len(p.text) == 0 {
		return
	}
	for _, f := range m.Funcs {
		if buf, ok := p.text[f]; ok {
			p.d.W.Write(buf.Bytes())
		}
	}
	clear(p.text)
}
