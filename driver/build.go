package driver

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/rtlib"
)

// Build compiles a program into the bytes of an executable: a WASI command from one input,
// or a .wast script's executable when o.Script is set. Bad input is an error that names
// the file and where in it; a compiler bug is an error that says "internal error" or
// "internal compiler error", never a panic.
func Build(inputs []Input, o Options) ([]byte, error) {
	if err := o.check(len(inputs)); err != nil {
		return nil, err
	}
	b := newBuild(inputs, &o)
	exe, err := b.run()
	if err != nil && b.check != nil {
		// An invalid body is the module's error, as if it had been validated whole
		// before anything else happened (bodies.go).
		if verr := b.check.wait(); verr != nil {
			return nil, b.invalid(verr)
		}
	}
	return exe, err
}

// run is [Build] but for a body found invalid after an error.
//
// The stages run in the order below, each over the whole program: this is the one place to
// read the pipeline, and the one to change when functions stream through it.
func (b *build) run() (exe []byte, err error) {
	o := b.o
	defer func() {
		// The passes and code generation recover per function and name it; this catches
		// a bug anywhere else, so that it too is an error rather than a crash.
		if r := recover(); r != nil {
			err = &InternalError{Value: r, Stack: string(debug.Stack())}
		}
	}()
	b.progress("load")
	fms, err := b.load() // decode or parse, and validate
	if err != nil {
		return nil, err
	}
	b.phase("load", "")
	b.progress("lower")
	mods, err := b.lower(fms) // to IR, each input's instantiation as code
	if err != nil {
		return nil, err
	}
	b.phase("lower", "")
	b.progress("link-rt")
	traps := make([]ir.TrapCode, len(mods)) // whose instantiation the limits fail (limits.go)
	for i, mod := range mods {
		traps[i] = limitTrap(mod, o.limits())
	}
	m, err := b.link(mods) // with the runtime, trimmed to what the program reaches
	if err != nil {
		return nil, err
	}
	prefix := func(int) string { return guestPrefix }
	if o.Script != nil {
		prefix = inputPrefix
	}
	limitTraps(m, traps, prefix)
	if o.Script == nil { // said after the imports, which are the first thing to fix
		if err := checkRunnable(b.path, fms[0], o); err != nil {
			return nil, err
		}
	}
	entry, err := b.entry(m) // what process entry calls; generates --invoke's or the steps
	if err != nil {
		return nil, b.wrap(err)
	}
	detail := ""
	if o.Level >= 2 {
		start := time.Now()
		b.planInline(m, entry.Steps) // before any worker builds a body
		detail = fmt.Sprintf("inlining planned in %.1f ms", float64(time.Since(start).Microseconds())/1000)
	}
	b.phase("link-rt", detail)
	// Per function, in parallel, one function per worker at a time (DESIGN.md decision
	// 14): build the body, run the passes, select, allocate, encode, and release all but
	// the machine code.
	var times backend.Timings
	cfg := backend.Config{Prepare: b.prepare, Check: o.CheckAllocations, FastRegalloc: o.fastRegalloc(), Timings: &times, Dump: b.codeDump(),
		BoundsChecks: o.BoundsChecks, CPU: o.CPU, OS: o.OS, Progress: b.codegenProgress(m)}
	prog, err := backend.Compile(m, o.ISA, cfg)
	if err != nil {
		return nil, b.unsupported(firstUnsupported(err))
	}
	prog.Limits = o.limits()
	b.flushDumps(m)
	b.phase("codegen", stageTimes(&times))
	b.progress("link")
	rt, err := o.ISA.Runtime(m, entry) // process entry and the trap routine
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	img, err := backend.Link(prog, b.target, rt)
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	exe, err = backend.Write(img) // ELF or Mach-O
	if err != nil {
		return nil, fmt.Errorf("internal error: %w", err)
	}
	detail = ""
	if b.check != nil {
		if err := b.check.wait(); err != nil {
			return nil, b.invalid(err)
		}
		detail = fmt.Sprintf("bodies validated in %.1f ms alongside", float64(b.check.took.Microseconds())/1000)
	}
	b.phase("link", detail)
	return exe, nil
}

// InternalError is a panic in [Build] outside the passes and code generation, which report
// theirs as *ir.PassError and *backend.FuncError: a compiler bug, whatever the input.
type InternalError struct {
	Value any    // what panicked
	Stack string // where, for a bug report
}

func (e *InternalError) Error() string { return fmt.Sprintf("internal compiler error: %v", e.Value) }

// build is the state of one Build between its stages.
type build struct {
	inputs []Input
	o      *Options
	target backend.Target
	path   string // a command's input, which prefixes its errors
	start  time.Time
	dump   *dumper
	// At -O2, what the passes may inline (inline.go), and the functions that inline
	// nothing, process entry's steps.
	inline   *ir.Inliner
	noInline map[*ir.Func]bool
	// check validates a command's function bodies alongside the build, or is nil
	// when load validated them (bodies.go).
	check *bodyCheck
}

func newBuild(inputs []Input, o *Options) *build {
	b := &build{inputs: inputs, o: o, target: backend.Target{OS: o.OS, Arch: o.ISA.Arch()}, start: time.Now()}
	if o.Script == nil {
		b.path = inputs[0].Path
	}
	if o.Dump != nil {
		b.dump = newDumper(o.Dump)
	}
	return b
}

// wrap names a command's input in an error about it.
func (b *build) wrap(err error) error {
	if b.path == "" {
		return err
	}
	return fmt.Errorf("%s: %w", b.path, err)
}

// phase reports the phase that ends now to Options.Timings.
func (b *build) phase(name, detail string) {
	now := time.Now()
	if b.o.Timings != nil {
		b.o.Timings(Phase{Name: name, Time: now.Sub(b.start), Detail: detail})
	}
	b.start = now
}

// progress tells Options.Progress that phase starts.
func (b *build) progress(phase string) {
	if b.o.Progress != nil {
		b.o.Progress(phase, 0, 0)
	}
}

// codegenProgress returns backend.Config.Progress for linked module m: the count of
// compiled functions against m's defined ones, or nil when nobody asked.
func (b *build) codegenProgress(m *ir.Module) func(int) {
	if b.o.Progress == nil {
		return nil
	}
	total := 0
	for _, f := range m.Funcs {
		if f != nil && !f.IsImport() {
			total++
		}
	}
	b.o.Progress("codegen", 0, total)
	return func(done int) { b.o.Progress("codegen", done, total) }
}

// load decodes and validates the inputs given as bytes; an input already lowered has nil.
// A command's function bodies are validated alongside the rest of the build (bodies.go),
// unless it dumps code, which would print what an invalid module's other bodies become.
func (b *build) load() ([]*frontend.Module, error) {
	fms := make([]*frontend.Module, len(b.inputs))
	for i, in := range b.inputs {
		if in.Module != nil {
			continue
		}
		var err error
		if b.o.Script == nil && b.o.Dump == nil {
			if fms[i], err = Decode(in.Path, in.Data); err != nil {
				return nil, err
			}
			bodies, err := frontend.ValidateDecls(fms[i])
			if err != nil {
				return nil, Locate(in.Path, in.Data, IsText(in.Path, in.Data), err)
			}
			b.check = startBodyCheck(bodies)
			continue
		}
		if fms[i], err = Load(in.Path, in.Data); err != nil {
			return nil, err
		}
	}
	return fms, nil
}

// lower lowers the loaded inputs.
func (b *build) lower(fms []*frontend.Module) ([]*ir.Module, error) {
	mods := make([]*ir.Module, len(b.inputs))
	for i, in := range b.inputs {
		if in.Module != nil {
			mods[i] = in.Module
			continue
		}
		// Bodies are lowered as code generation reaches them, so that a large module is
		// never whole in memory as IR; an input lowered by the caller is what it is.
		lowerModule := frontend.LowerLazy
		if b.check != nil {
			lowerModule = func(fm *frontend.Module) (*ir.Module, error) { return frontend.LowerUnchecked(fm, b.check.bodies) }
		}
		m, err := lower(fms[i], lowerModule, b.o.ISA)
		if errors.As(err, new(*frontend.UnsupportedError)) {
			return nil, Locate(in.Path, in.Data, IsText(in.Path, in.Data), err)
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		mods[i] = m
	}
	return mods, nil
}

// link links the inputs with the runtime and lowers the runtime's intrinsics.
func (b *build) link(mods []*ir.Module) (*ir.Module, error) {
	if b.o.Script != nil {
		return linkScript(mods, b.inputs, b.target, b.o)
	}
	return linkCommand(mods[0], b.path, b.o, b.target)
}

// entry generates what process entry calls into linked module m and binds the runtime.
func (b *build) entry(m *ir.Module) (backend.EntryConfig, error) {
	var e backend.EntryConfig
	var err error
	if b.o.Script != nil {
		e, err = scriptEntry(m, b.o.Script)
	} else {
		e, err = commandEntry(m, b.o)
	}
	if err != nil {
		return e, err
	}
	e.OS = b.o.OS
	if e.OS == backend.OSDarwin {
		names, err := rtlib.DarwinImports(b.target.Arch.String())
		if err != nil {
			return e, err
		}
		for _, n := range names {
			e.SystemImports = append(e.SystemImports, backend.Import{Name: n})
		}
	}
	e.BoundsChecks = b.o.BoundsChecks
	e.CPU = b.o.CPU
	return e, bindRuntime(m, &e)
}

// prepare builds f's body and runs the passes of the -O level over it, inlining first at
// -O2, in a worker of backend.Compile.
func (b *build) prepare(f *ir.Func) error {
	if err := f.Load(); err != nil {
		return err
	}
	b.dumpFunc(dumpLower, f)
	il := b.inline
	if b.noInline[f] {
		il = &ir.Inliner{} // inlines nothing, but keeps the "inline" phase in dumps
	}
	return ir.RunPipeline(f, ir.Config{Level: b.o.Level, Verify: b.o.Verify, Dump: b.passDump(), Inline: il})
}

// firstUnsupported reduces err to the first lowering refusal in it, if it has one: a
// module with a thousand refused functions gets one line, as a module lowered whole does.
func firstUnsupported(err error) error {
	for _, e := range leafErrors(err) {
		var ue *frontend.UnsupportedError
		if errors.As(e, &ue) {
			return e
		}
	}
	return err
}

// unsupported names a command's input in err, positioned in the module as
// "FILE:0xOFFSET: … is not supported yet (…)" when lowering refused something in it.
func (b *build) unsupported(err error) error {
	if b.path == "" || !errors.As(err, new(*frontend.UnsupportedError)) {
		return b.wrap(err)
	}
	in := b.inputs[0]
	return Locate(in.Path, in.Data, IsText(in.Path, in.Data), err)
}

// invalid positions the error of a command's invalid body in its input.
func (b *build) invalid(err error) error {
	in := b.inputs[0]
	return Locate(in.Path, in.Data, IsText(in.Path, in.Data), err)
}

// stageTimes describes codegen's stages for -v.
func stageTimes(t *backend.Timings) string {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	s := fmt.Sprintf("lower+passes %.1f ms, select %.1f ms, regalloc %.1f ms", ms(t.Prepare), ms(t.Select), ms(t.Regalloc))
	if t.Check > 0 {
		s += fmt.Sprintf(", check %.1f ms", ms(t.Check))
	}
	return s + fmt.Sprintf(", finish %.1f ms, encode %.1f ms, summed over the workers", ms(t.Finish), ms(t.Encode))
}
