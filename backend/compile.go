package backend

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// Config says how [Compile] runs. It travels with each call, so several compilations can run
// at once with different settings.
type Config struct {
	// Check runs [regalloc.Check] on every allocation, turning a wrong one into an error
	// that names the function. Tests set it; it costs about as much as allocation itself.
	Check bool
	// FastRegalloc allocates registers with [regalloc.RunFast], the fast local allocator
	// of the -O0 tier (issue 21), instead of [regalloc.Run]'s linear scan: in about a
	// third of the time and memory, for code that keeps little in registers across blocks.
	FastRegalloc bool
	// NoStackCheck leaves out the prologue's stack-limit compare ([Env.StackCheck]). The
	// zero value keeps it, so that a forgotten field never lets a wasm program die of
	// SIGSEGV (DESIGN.md decision 7).
	NoStackCheck bool
	// BoundsChecks chooses explicit checks (the zero value) or guard pages, which the
	// runtime must then provide: an ISA's entry does ([Env.BoundsChecks]).
	BoundsChecks BoundsChecks
	// CPU is the processor level the code is for ([Env.CPU]); entry must check the same
	// ([EntryConfig.CPU]).
	CPU CPU
	// OS is the operating system the code is for ([Env.OS]).
	OS OS
	// Prepare, if not nil, is called in the worker on each defined function before
	// selection: it builds the body ([ir.Func.Load]) and runs the optimizer, which is the
	// driver's business. Without it Compile only loads the body. Either way a body built on
	// demand is released once its machine code is selected, so that a module compiles in memory
	// proportional to its largest functions, not to its size (DESIGN.md decision 14). An
	// error Prepare returns is returned as it is.
	Prepare func(f *ir.Func) error
	// Timings, if not nil, receives the time spent in each stage, summed over all
	// functions and workers, for -v. Compile adds to it, so one value can cover several
	// modules.
	Timings *Timings
	// Dump, if set, is called with each function's machine code after stage "select"
	// (virtual registers) and after "finish" (allocated, with its frame), for --dump: by
	// "finish" a body built on demand is released, and f has only its name and signature.
	// The workers call it concurrently.
	Dump func(stage string, f *ir.Func, mf MachineFunc)
	// Progress, if not nil, is called each time a worker finishes a function, with the
	// number of defined functions finished so far, for a progress report. The workers
	// call it concurrently.
	Progress func(done int)
}

// Timings are the durations of the backend's stages. The stages are summed over workers, so
// on several cores their total exceeds Wall.
type Timings struct {
	// Prepare is building bodies and optimizing them ([Config.Prepare]).
	Prepare, Select, Regalloc, Check, Finish, Encode time.Duration
	// Wall is the elapsed time of Compile calls.
	Wall time.Duration
}

func (t *Timings) add(u *Timings) {
	t.Prepare += u.Prepare
	t.Select += u.Select
	t.Regalloc += u.Regalloc
	t.Check += u.Check
	t.Finish += u.Finish
	t.Encode += u.Encode
	t.Wall += u.Wall
}

// Program is a compiled module: machine code for each defined function, not yet placed.
// [Link] turns it into an [Image].
type Program struct {
	// Module is the linked module the code was compiled from; the linker reads its
	// memories, tables, globals, segments and names.
	Module *ir.Module
	Arch   Arch
	// Env is the environment the functions were compiled in.
	Env *Env
	// FuncTypeIDs gives each function of Module the type id of its signature, in the same
	// numbering as Env.TypeIDs: a funcref descriptor holds it, and call_indirect compares
	// it with the id of the type it expects.
	FuncTypeIDs []uint32
	// Code is indexed by function index; nil for an imported function.
	Code []*Code
	// Limits bound the memories and tables the linker maps (Runtime.MapMemories).
	Limits Limits
}

// Limits bound what a program's memories and tables may commit of the host's memory
// (wasmc's --max-memory and --max-table-elements). A memory or table may grow to its limit
// and no further: memory.grow and table.grow then return -1, as the spec allows. One whose
// minimum is over its limit is not the linker's to refuse: the instance that defines it
// fails to instantiate (the driver makes its instantiation trap), so that a .wast script's
// other instances still run.
type Limits struct {
	// MaxMemory is the most bytes a memory may hold, a multiple of 64 KiB; 0 means
	// DefaultMaxMemory.
	MaxMemory uint64
	// MaxTableElems is the most elements a table may hold; 0 means DefaultMaxTableElems.
	MaxTableElems uint64
	// RuntimeMemories is how many of the last memories are the runtime's own (DESIGN.md
	// decision 6), which the guest cannot grow and no limit applies to.
	RuntimeMemories int
	// RuntimeTables is how many of the last tables are the runtime's own, which take
	// nothing from the budget the others grow within (ir.TableDescSize).
	RuntimeTables int
}

// The default limits: a 32-bit memory's whole 4 GiB, and ten million elements (80 MB) a
// table, which no real program's table nor the spec tests' comes near.
const (
	DefaultMaxMemory     = 1 << 32
	DefaultMaxTableElems = 10_000_000
)

// MemoryPages is the limit on a memory in 64 KiB pages.
func (l Limits) MemoryPages() uint64 {
	if l.MaxMemory == 0 {
		return DefaultMaxMemory / 65536
	}
	return l.MaxMemory / 65536
}

// TableElems is the limit on a table's elements.
func (l Limits) TableElems() uint64 {
	if l.MaxTableElems == 0 {
		return DefaultMaxTableElems
	}
	return l.MaxTableElems
}

// CodeSize is the number of bytes of machine code of all functions, before alignment.
func (p *Program) CodeSize() int {
	n := 0
	for _, c := range p.Code {
		if c != nil {
			n += len(c.Bytes)
		}
	}
	return n
}

// FuncError is a failure to compile one function. When Internal is set it is a compiler bug:
// a stage panicked, or an allocation failed its check; otherwise the function uses
// something the ISA cannot compile yet (such as v128 values).
type FuncError struct {
	Func     string // the function's name, without the $
	Index    int    // in the module
	Stage    string // "select", "regalloc", "check", "finish" or "encode"
	Internal bool
	Err      error
	Stack    string // of a panic, for a bug report
}

// Error returns "internal compiler error in $f during regalloc: …" for a compiler bug and
// "$f: select: …" otherwise, in the form ir.PassError uses.
func (e *FuncError) Error() string {
	if e.Internal {
		return fmt.Sprintf("internal compiler error in $%s during %s: %v", e.Func, e.Stage, e.Err)
	}
	return fmt.Sprintf("$%s: %s: %v", e.Func, e.Stage, e.Err)
}

// Unwrap returns the underlying problem.
func (e *FuncError) Unwrap() error { return e.Err }

// Compile compiles every defined function of m for isa, in parallel on GOMAXPROCS workers
// (DESIGN.md decision 10). Each function goes through cfg.Prepare (or ir.Func.Load),
// Select, regalloc.Run (or RunFast), regalloc.Check (when cfg.Check), Finish and Encode; a body
// built on demand is released after Select. Results are stored by function index, never in
// completion order, so the Program does not depend on scheduling (STYLE §2.7). Errors come
// back joined in function order; a panic in a stage becomes a [*FuncError] rather than a
// crash, so the driver can name the function.
//
// Compile changes only the bodies of m's functions, each in the one worker that compiles
// it; the ISA only reads the module, which is what makes the workers safe.
func Compile(m *ir.Module, isa ISA, cfg Config) (*Program, error) {
	start := time.Now()
	typeIDs, funcIDs := typeIDs(m)
	env := &Env{Module: m, TypeIDs: typeIDs, StackCheck: !cfg.NoStackCheck, BoundsChecks: cfg.BoundsChecks, CPU: cfg.CPU,
		FastRegalloc: cfg.FastRegalloc, OS: cfg.OS}
	p := &Program{Module: m, Arch: isa.Arch(), Env: env, FuncTypeIDs: funcIDs, Code: make([]*Code, len(m.Funcs))}
	n := len(m.Funcs)
	errs := make([]error, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	times := make([]Timings, workers)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rc := isa.RegConfig()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if f := m.Funcs[i]; f != nil && !f.IsImport() {
					p.Code[i], errs[i] = compileFunc(f, i, isa, rc, env, &cfg, &times[w])
					f.Release()
					if cfg.Progress != nil {
						cfg.Progress(int(done.Add(1)))
					}
				}
			}
		})
	}
	wg.Wait()
	if cfg.Timings != nil {
		for i := range times {
			cfg.Timings.add(&times[i])
		}
		cfg.Timings.Wall += time.Since(start)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// compileFunc runs one function through the stages, timing each.
func compileFunc(f *ir.Func, index int, isa ISA, rc *regalloc.Config, env *Env, cfg *Config, t *Timings) (code *Code, err error) {
	stage := "prepare"
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(error)
			if !ok {
				e = fmt.Errorf("%v", r)
			}
			code, err = nil, &FuncError{Func: f.Name, Index: index, Stage: stage, Internal: true, Err: e, Stack: string(debug.Stack())}
		}
	}()
	fail := func(err error, internal bool) (*Code, error) {
		return nil, &FuncError{Func: f.Name, Index: index, Stage: stage, Internal: internal, Err: err}
	}
	huge := isHuge(f)
	defer tightenGC(huge)()
	t0 := time.Now()
	if cfg.Prepare != nil {
		err = cfg.Prepare(f)
	} else {
		err = f.Load()
	}
	if err != nil {
		return nil, err
	}
	collectNow(huge)
	t1 := time.Now()
	t.Prepare += t1.Sub(t0)
	t0 = t1
	stage = "select"
	mf, err := isa.Select(f, env)
	if err != nil {
		return fail(err, false)
	}
	if cfg.Dump != nil {
		cfg.Dump("select", f, mf)
	}
	// The machine function holds all it needs of the body, which on a huge function is
	// as large as the machine code: built on demand, it goes now rather than after
	// encoding, so that it is not live across allocation and Apply's copy of the code.
	f.Release()
	collectNow(huge)
	t1 = time.Now()
	t.Select += t1.Sub(t0)
	stage = "regalloc"
	allocate := regalloc.Run
	if cfg.FastRegalloc {
		allocate = regalloc.RunFast
	}
	res, err := allocate(mf, rc)
	if err != nil {
		return fail(err, true)
	}
	t0 = time.Now()
	t.Regalloc += t0.Sub(t1)
	if cfg.Check {
		stage = "check"
		if err := regalloc.Check(mf, rc, res); err != nil {
			return fail(err, true)
		}
		t1 = time.Now()
		t.Check += t1.Sub(t0)
		t0 = t1
	}
	stage = "finish"
	// Without a dump, nothing reads the finished code but Encode, which can interleave the
	// allocation's edits itself: the instructions stay where selection put them.
	deferred, ok := mf.(Deferrer)
	if ok && cfg.Dump == nil {
		err = deferred.FinishDeferred(res)
	} else {
		deferred, err = nil, mf.Finish(res)
	}
	if err != nil {
		return fail(err, true)
	}
	// Applied, the allocation's arrays go to the next function's allocation; Encode reads
	// a deferred one first.
	if deferred == nil {
		res.Release()
	}
	if cfg.Dump != nil {
		cfg.Dump("finish", f, mf)
	}
	t1 = time.Now()
	t.Finish += t1.Sub(t0)
	stage = "encode"
	code, err = mf.Encode()
	if err != nil {
		return fail(err, true)
	}
	t.Encode += time.Since(t1)
	if deferred != nil {
		res.Release()
	}
	if r, ok := mf.(Recycler); ok {
		r.Recycle()
	}
	code.shrink()
	return code, nil
}

// shrink reallocates the slices of c that have grown well past their length: every
// function's code lives until the link, and append's spare capacity would be a third
// of the compiler's memory on a large module.
func (c *Code) shrink() {
	c.Bytes = clip(c.Bytes)
	c.Relocs = clip(c.Relocs)
	c.TrapSites = clip(c.TrapSites)
}

func clip[T any](s []T) []T {
	if cap(s)-len(s) <= len(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

// typeIDs numbers the signatures of m structurally: equal signatures get one id, in order of
// first appearance in m.Types and then in the functions' signatures, so the numbering
// depends only on the module. It returns the ids of m.Types and those of the functions.
// m.Types is usually distinct already, but nothing forces it to be, and a funcref
// descriptor needs the id of a signature no call_indirect names.
func typeIDs(m *ir.Module) (types, funcs []uint32) {
	ids := make(map[string]uint32)
	var key []byte
	id := func(s ir.Signature) uint32 {
		key = key[:0]
		for _, t := range s.Params {
			key = append(key, byte(t))
		}
		key = append(key, 0xff)
		for _, t := range s.Results {
			key = append(key, byte(t))
		}
		if i, ok := ids[string(key)]; ok {
			return i
		}
		i := uint32(len(ids))
		ids[string(key)] = i
		return i
	}
	types = make([]uint32, len(m.Types))
	for i, s := range m.Types {
		types[i] = id(s)
	}
	funcs = make([]uint32, len(m.Funcs))
	for i, f := range m.Funcs {
		funcs[i] = id(f.Sig)
	}
	return types, funcs
}
