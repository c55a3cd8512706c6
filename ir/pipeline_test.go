package ir

import (
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// TestPipelineOrder checks every level's pipeline, inlining included, against passOrder,
// the way Go's compile.go checks its pass list, and that pass names are unique and known.
func TestPipelineOrder(t *testing.T) {
	known := func(name string) bool { return passesByName[name] != nil || name == "inline" }
	for _, c := range passOrder {
		if !known(c.a) || !known(c.b) {
			t.Errorf("passOrder names an unknown pass: %s before %s", c.a, c.b)
		}
		if c.why == "" {
			t.Errorf("passOrder: %s before %s gives no reason", c.a, c.b)
		}
	}
	for level := 0; level <= 2; level++ {
		var names []string
		for _, p := range Pipeline(Config{Level: level, Inline: &Inliner{}}) {
			if slices.Contains(names, p.Name) {
				t.Errorf("-O%d runs two passes named %s", level, p.Name)
			}
			if !known(baseName(p.Name)) || p.Run == nil {
				t.Errorf("-O%d: pass %q is unknown or has no Run", level, p.Name)
			}
			names = append(names, p.Name)
		}
		first := func(base string) int {
			return slices.IndexFunc(names, func(n string) bool { return baseName(n) == base })
		}
		last := func(base string) int {
			for j := len(names) - 1; j >= 0; j-- {
				if baseName(names[j]) == base {
					return j
				}
			}
			return -1
		}
		for _, c := range passOrder {
			ia, ib := first(c.a), first(c.b)
			if c.cleanup {
				ia, ib = last(c.a), last(c.b)
			}
			if ia >= 0 && ib >= 0 && ia >= ib {
				t.Errorf("-O%d runs %s after %s, but %s must come first: %s", level, c.a, c.b, c.a, c.why)
			}
		}
	}
}

// irCorpus returns every module in the package's testdata that is meant to be valid:
// the .ir files, and the .ir sections of the pass, dominator and interpreter cases.
func irCorpus(t *testing.T) map[string]string {
	t.Helper()
	srcs := map[string]string{}
	for _, pattern := range []string{"testdata/*.ir", "testdata/builder/*.ir", "testdata/noncanonical/*.ir"} {
		for _, path := range glob(t, pattern) {
			srcs[path] = readFile(t, path)
		}
	}
	for _, pattern := range []string{"testdata/passes/*/*.txtar", "testdata/inline/*.txtar", "testdata/dom/*.txtar", "testdata/interp/*.txtar"} {
		for _, path := range glob(t, pattern) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range a.Files {
				if strings.HasSuffix(f.Name, ".ir") {
					srcs[path+":"+f.Name] = string(f.Data)
				}
			}
		}
	}
	return srcs
}

// parseValid parses src, reporting false if it does not parse or verify (the
// interpreter's scripts hold deliberately invalid modules).
func parseValid(src string) (*Module, bool) {
	m, err := Parse(src)
	if err != nil || len(VerifyModule(m)) > 0 {
		return nil, false
	}
	return m, true
}

// TestPipelineCorpus runs every level, inlining every callee that does not call itself,
// over every valid module of testdata with Verify on: no pass may panic or break the IR. The output must verify as a module, print and
// parse back to the same text, and not depend on whether functions ran in parallel.
func TestPipelineCorpus(t *testing.T) {
	srcs := irCorpus(t)
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range srcs {
			if !yield(p) {
				return
			}
		}
	})
	for _, path := range paths {
		for level := 0; level <= 2; level++ {
			m, ok := parseValid(srcs[path])
			if !ok {
				continue
			}
			pristine, _ := parseValid(srcs[path])
			il := moduleInliner(pristine, 1000)
			if err := RunModule(m, Config{Level: level, Verify: true, Inline: il}); err != nil {
				t.Errorf("%s -O%d: %v", path, level, err)
				continue
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Errorf("%s -O%d: the module does not verify:\n%s", path, level, errorLines(errs))
				continue
			}
			out := m.String()
			m2, err := Parse(out)
			if err != nil {
				t.Errorf("%s -O%d: the output does not parse: %v\n%s", path, level, err, out)
				continue
			}
			if diff := cmp.Diff(out, m2.String()); diff != "" {
				t.Errorf("%s -O%d: the output does not round-trip:\n%s", path, level, diff)
			}
			seq, _ := parseValid(srcs[path])
			for _, f := range seq.Funcs {
				if err := RunPipeline(f, Config{Level: level, Inline: il}); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(out, seq.String()); diff != "" {
				t.Errorf("%s -O%d: RunModule and RunPipeline in order differ:\n%s", path, level, diff)
			}
		}
	}
}

// TestPipelineErrors checks that a panicking pass and a pass that breaks the IR become
// a *PassError naming the function and the pass, with the IR when dumping.
func TestPipelineErrors(t *testing.T) {
	src := "func $f(i32) -> i32 {\nb0(v0:i32):\n    return v0\n}\n"
	m, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	dumped := false
	cfg := Config{Verify: true, Dump: func(string, *Func) { dumped = true }}

	err = runPass(f, Pass{Name: "boom", Run: func(*Func) { panic("kaboom") }}, cfg)
	var pe *PassError
	if !errors.As(err, &pe) || !pe.Panicked || pe.Pass != "boom" || pe.Func != "f" {
		t.Fatalf("panic: got %#v", err)
	}
	if want := "internal compiler error in $f during pass boom: kaboom\nfunc $f(i32) -> i32 {"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("panic: got %q, want it to start %q", err.Error(), want)
	}
	if pe.Stack == "" {
		t.Error("panic: no stack")
	}

	breakIR := func(f *Func) { f.Blocks[0].Instrs = nil }
	err = runPass(f, Pass{Name: "breaker", Run: breakIR}, Config{Verify: true})
	if !errors.As(err, &pe) || pe.Panicked || pe.IR != "" {
		t.Fatalf("invalid IR: got %#v", err)
	}
	if want := "internal compiler error in $f after pass breaker: IR does not verify: $f: b0: block is empty"; err.Error() != want {
		t.Errorf("invalid IR: got %q, want %q", err.Error(), want)
	}
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Errorf("invalid IR: %v does not wrap a *VerifyError", err)
	}
	if err := RunPipeline(f, Config{Level: 2, Verify: true}); err == nil || !strings.Contains(err.Error(), "input does not verify") {
		t.Errorf("invalid input: got %v", err)
	}
	if dumped {
		t.Error("Dump was called for a pass that failed")
	}

	m, _ = Parse(src)
	var passes []string
	if err := RunPipeline(m.Funcs[0], Config{Level: 2, Dump: func(p string, _ *Func) { passes = append(passes, p) }}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range Passes(2) {
		want = append(want, p.Name)
	}
	if !slices.Equal(passes, want) {
		t.Errorf("Dump saw %v, want %v", passes, want)
	}
	if len(Passes(0)) != 0 {
		t.Errorf("-O0 runs %d passes", len(Passes(0)))
	}
}

// TestPassesCorpusEach runs each pass alone over the corpus, verifying after it, so a
// pass that only works after another is caught here rather than in the pipeline.
func TestPassesCorpusEach(t *testing.T) {
	srcs := irCorpus(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range passesByName {
			if !yield(n) {
				return
			}
		}
	})
	for path, src := range srcs {
		for _, name := range names {
			m, ok := parseValid(src)
			if !ok {
				continue
			}
			for _, f := range m.Funcs {
				if f.IsImport() {
					continue
				}
				if err := runPass(f, Pass{Name: name, Run: passesByName[name]}, Config{Verify: true}); err != nil {
					t.Errorf("%s: %v", filepath.ToSlash(path), err)
				}
			}
		}
	}
}

// fuelPerCall bounds the loop iterations of one call in the differential test.
const fuelPerCall = 20000

// addFuel makes every function of m stop after fuelPerCall loop iterations: a new
// mutable global $__fuel is decremented at the start of each block a retreating edge
// enters (every cycle has one), trapping with stack_exhausted at zero. The counting is
// done by globalset, a side effect no pass may remove, repeat or reorder, so the
// optimized program runs out at exactly the same point as the original. It returns
// the global's index.
func addFuel(m *Module) uint32 {
	g := uint32(len(m.Globals))
	m.Globals = append(m.Globals, Global{Name: "__fuel", Type: I64, Mutable: true, Init: ConstExpr{Op: OpIConst, Imm: fuelPerCall}})
	for _, f := range m.Funcs {
		if f.IsImport() {
			continue
		}
		c := f.CFG()
		pos := make([]int, len(f.Blocks))
		for i, b := range c.RPO {
			pos[b] = i
		}
		for _, b := range c.RPO {
			retreating := false
			for _, p := range c.Preds[b] {
				if c.Reachable(p) && pos[p] >= pos[b] {
					retreating = true
				}
			}
			if !retreating {
				continue
			}
			get := newInstr(f, Instr{Op: OpGlobalGet, Index: g}, b, I64)
			one := newInstr(f, Instr{Op: OpIConst, Imm: 1}, b, I64)
			sub := newInstr(f, Instr{Op: OpISub, Args: []Value{f.Instrs[get].Results[0], f.Instrs[one].Results[0]}}, b, I64)
			set := newInstr(f, Instr{Op: OpGlobalSet, Index: g, Args: []Value{f.Instrs[sub].Results[0]}}, b)
			eqz := newInstr(f, Instr{Op: OpEqz, Args: []Value{f.Instrs[sub].Results[0]}}, b, I32)
			trap := newInstr(f, Instr{Op: OpTrapIf, Trap: TrapStackExhausted, Args: []Value{f.Instrs[eqz].Results[0]}}, b)
			f.Blocks[b].Instrs = append([]InstrID{get, one, sub, set, eqz, trap}, f.Blocks[b].Instrs...)
		}
	}
	return g
}

// stubImports satisfies m's imports with fresh host objects: functions that return
// zeros, and memories, tables and globals of the declared types and minimum sizes.
func stubImports(m *Module) Resolver {
	return func(module, name string) (Extern, bool) {
		is := func(imp *ImportName) bool { return imp != nil && imp.Module == module && imp.Name == name }
		for _, f := range m.Funcs {
			if is(f.Import) {
				sig := f.Sig
				return Extern{Kind: ExternFunc, Func: NewHostFunc(sig.Params, sig.Results, func([]Val) ([]Val, error) {
					res := make([]Val, len(sig.Results))
					for i, t := range sig.Results {
						res[i] = Val{Type: t}
					}
					return res, nil
				})}, true
			}
		}
		for _, mem := range m.Memories {
			if is(mem.Import) {
				mi := NewMemory(mem.Limits.Min, mem.Limits.Max, mem.Limits.HasMax)
				mi.is64 = mem.Is64
				return Extern{Kind: ExternMemory, Memory: mi}, true
			}
		}
		for _, tab := range m.Tables {
			if is(tab.Import) {
				return Extern{Kind: ExternTable, Table: NewTable(tab.Elem, tab.Limits.Min, tab.Limits.Max, tab.Limits.HasMax)}, true
			}
		}
		for _, g := range m.Globals {
			if is(g.Import) {
				return Extern{Kind: ExternGlobal, Global: NewGlobal(g.Type, g.Mutable, Val{Type: g.Type})}, true
			}
		}
		return Extern{}, false
	}
}

// sampleValues are the argument values the differential test draws from: edges of
// each type's range and values the testdata's functions branch on.
var sampleValues = map[Type][]uint64{
	I32: {0, 1, 2, 3, 4, 7, 16, 100, 65532, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe},
	I64: {0, 1, 2, 5, 64, 1 << 32, 1<<63 - 1, 1 << 63, ^uint64(0)},
	F32: {0, 0x80000000, 0x3fc00000, 0xc0200000, 0x7fc00000, 0x7f800000, 0x4f000000, 0x501502f9},
	F64: {0, 1 << 63, 0x3ff8000000000000, 0xc004000000000000, 0x7ff8000000000000, 0x7ff0000000000000, 0x41e0000000000000},
}

// refString describes a reference the same way in two instances: by function name.
func refString(r any) string {
	switch r := refOf(r).(type) {
	case nil:
		return "null"
	case *FuncInst:
		return "func:" + r.name
	default:
		return "extern"
	}
}

func valString(v Val) string {
	if v.Type.IsRef() {
		return v.Type.String() + ":" + refString(v.Ref)
	}
	return v.String() + " bits " + strconv.FormatUint(v.Bits, 16)
}

// stateString describes what a call may have changed: memories, globals and tables.
func stateString(in *Instance) string {
	var b strings.Builder
	for i, mem := range in.mems {
		fmt.Fprintf(&b, "mem%d: %d bytes, crc %08x\n", i, len(mem.data), crc32.ChecksumIEEE(mem.data))
	}
	for i, g := range in.globals {
		fmt.Fprintf(&b, "global %d: %s\n", i, valString(g.Get()))
	}
	for i, t := range in.tables {
		fmt.Fprintf(&b, "table%d:", i)
		for _, e := range t.elems {
			b.WriteString(" " + refString(e))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// outcome describes a call's results or the way it failed.
func outcome(res []Val, err error) string {
	var trap *Trap
	switch {
	case errors.As(err, &trap):
		return "trap " + trap.Code.String()
	case err != nil:
		return "error " + err.Error()
	}
	parts := make([]string, len(res))
	for i, v := range res {
		parts[i] = valString(v)
	}
	return strings.Join(parts, ", ")
}

// TestPipelineDifferential runs each function of each valid testdata module before and
// after -O2, with every callee that does not call itself inlined, through the interpreter, with sample arguments, and requires the same
// results (bit for bit, NaNs included: folding evaluates through the interpreter's own
// code), the same traps, and the same memories, globals and tables after each call.
// Each function gets fresh instances and a sequence of calls, so state carries from one
// call to the next as it would in a program.
func TestPipelineDifferential(t *testing.T) {
	srcs := irCorpus(t)
	paths := slices.Sorted(maps.Keys(srcs))
	var nfuncs, ncalls, nskipped int
	for _, path := range paths {
		probe, ok := parseValid(srcs[path])
		if !ok {
			continue
		}
		for fi, f := range probe.Funcs {
			if f.IsImport() || slices.ContainsFunc(f.Sig.Params, func(t Type) bool { return t == V128 }) {
				continue
			}
			orig, _ := parseValid(srcs[path])
			opt, _ := parseValid(srcs[path])
			fuel := addFuel(orig)
			addFuel(opt)
			if errs := VerifyModule(orig); len(errs) > 0 {
				t.Fatalf("%s: instrumenting for fuel broke the module:\n%s", path, errorLines(errs))
			}
			pristine, _ := parseValid(srcs[path])
			if err := RunModule(opt, Config{Level: 2, Verify: true, Inline: moduleInliner(pristine, 1000)}); err != nil {
				t.Errorf("%s: %v", path, err)
				break
			}
			cfg := InterpConfig{MaxCallDepth: 100}
			io, erro := Instantiate(orig, stubImports(orig), cfg)
			ip, errp := Instantiate(opt, stubImports(opt), cfg)
			if erro != nil || errp != nil {
				if a, b := outcome(nil, erro), outcome(nil, errp); a != b {
					t.Errorf("%s: instantiation: %s before -O2, %s after", path, a, b)
				}
				break
			}
			nfuncs++
			rng := rand.New(rand.NewPCG(uint64(fi), uint64(len(path))))
			for k := range 16 {
				args := make([]Val, len(f.Sig.Params))
				for i, pt := range f.Sig.Params {
					args[i] = Val{Type: pt}
					if vals := sampleValues[pt]; k > 0 && len(vals) > 0 {
						args[i].Bits = vals[rng.IntN(len(vals))]
					}
				}
				for _, in := range []*Instance{io, ip} {
					if err := in.globals[fuel].Set(I64Val(fuelPerCall)); err != nil {
						t.Fatal(err)
					}
				}
				r1, e1 := io.funcs[fi].Call(args)
				r2, e2 := ip.funcs[fi].Call(args)
				var undef *UndefinedError
				if errors.As(e1, &undef) || errors.Is(e1, ErrUnsupported) {
					nskipped++
					break // the input itself is not runnable here; its state may now differ
				}
				if errors.As(e2, &undef) {
					t.Errorf("%s: $%s%v: -O2 dropped a needed check: %v\n%s", path, f.Name, args, e2, opt.Funcs[fi])
					break
				}
				ncalls++
				if a, b := outcome(r1, e1), outcome(r2, e2); a != b {
					t.Errorf("%s: $%s%v: %s before -O2, %s after\nbefore:\n%s\nafter:\n%s", path, f.Name, args, a, b, orig.Funcs[fi], opt.Funcs[fi])
					break
				}
				if a, b := stateString(io), stateString(ip); a != b {
					t.Errorf("%s: $%s%v: state differs after the call (-before +after):\n%s", path, f.Name, args, cmp.Diff(a, b))
					break
				}
			}
		}
	}
	t.Logf("compared %d calls of %d functions before and after -O2 (%d functions stopped at undefined or unsupported input)", ncalls, nfuncs, nskipped)
	if ncalls == 0 {
		t.Error("compared nothing")
	}
}
