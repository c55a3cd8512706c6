package ir

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestInterp runs the scripts in testdata/interp. Each archive holds IR modules (a.ir,
// b.ir, …) and a "run" file of directives, one per line ('#' starts a comment):
//
//	instantiate a [as NAME] [-> trap CODE | -> link TEXT | -> error TEXT]
//	register NAME "module"          exports of instance NAME become importable as "module"
//	invoke [INST.]EXPORT ARGS… -> RESULTS… | trap CODE | undefined CODE | error TEXT
//	get [INST.]EXPORT -> VALUE      read an exported global
//	log -> N…                       the i32s passed to host.log since the last log line
//	set TrapUndefined               later instances trap on undefined ops instead of failing
//	set MaxCallDepth N
//
// invoke and get use the last instantiated instance unless INST names another. Numbers
// are read at the export's types: integers in decimal or 0x hex (negative allowed);
// floats in Go syntax, inf, nan (canonical), nan:0xBITS and bits:0xBITS (all the bits);
// as results also nan:canonical and nan:arithmetic. References: null, extern:N (a host
// value), func:NAME (a function of that name) and nonnull.
//
// Every script may import from the module "host": log(i32), add(i32, i32) -> i32,
// fail() (traps unreachable), callback(i32) -> i32 (calls the importing script's last
// instance's export "cb" with its argument), memory (1 page, max 4), table (funcref, 4,
// max 8), global_i32 (i32 42), global_mut (mut i64 7).
func TestInterp(t *testing.T) {
	for _, path := range glob(t, "testdata/interp/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s := &script{t: t, a: a, insts: map[string]*Instance{}, registered: map[string]*Instance{}}
			s.host = s.hostModule()
			for i, line := range strings.Split(section(t, a, "run"), "\n") {
				line, _, _ = strings.Cut(line, "#")
				if line = strings.TrimSpace(line); line != "" {
					s.line = fmt.Sprintf("%s:%d: %s", filepath.Base(path), i+1, line)
					s.do(line)
				}
			}
		})
	}
}

// externRef is the host value of extern:N.
type externRef int

type script struct {
	t          *testing.T
	a          *txtar.Archive
	line       string // the directive being run, for messages
	cfg        InterpConfig
	insts      map[string]*Instance
	registered map[string]*Instance
	last       *Instance
	host       map[string]Extern
	log        []int32
}

func (s *script) fail(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("%s: %s", s.line, fmt.Sprintf(format, args...))
}

func (s *script) hostModule() map[string]Extern {
	fn := func(params, results []Type, f HostFunc) Extern {
		return Extern{Kind: ExternFunc, Func: NewHostFunc(params, results, f)}
	}
	return map[string]Extern{
		"log": fn([]Type{I32}, nil, func(args []Val) ([]Val, error) {
			s.log = append(s.log, int32(args[0].Bits))
			return nil, nil
		}),
		"add": fn([]Type{I32, I32}, []Type{I32}, func(args []Val) ([]Val, error) {
			return []Val{I32Val(int32(args[0].Bits + args[1].Bits))}, nil
		}),
		"echo": fn([]Type{V128}, []Type{V128}, func(args []Val) ([]Val, error) {
			return args, nil
		}),
		"fail": fn(nil, nil, func([]Val) ([]Val, error) {
			return nil, &Trap{Code: TrapUnreachable}
		}),
		"callback": fn([]Type{I32}, []Type{I32}, func(args []Val) ([]Val, error) {
			return s.last.Invoke("cb", args)
		}),
		"memory":     {Kind: ExternMemory, Memory: NewMemory(1, 4, true)},
		"table":      {Kind: ExternTable, Table: NewTable(FuncRef, 4, 8, true)},
		"global_i32": {Kind: ExternGlobal, Global: NewGlobal(I32, false, I32Val(42))},
		"global_mut": {Kind: ExternGlobal, Global: NewGlobal(I64, true, I64Val(7))},
	}
}

func (s *script) resolve(module, name string) (Extern, bool) {
	if module == "host" {
		e, ok := s.host[name]
		return e, ok
	}
	if in := s.registered[module]; in != nil {
		return in.Export(name)
	}
	return Extern{}, false
}

// do runs one directive.
func (s *script) do(line string) {
	s.t.Helper()
	lhs, rhs, arrow := strings.Cut(line, "->")
	f := strings.Fields(lhs)
	want := strings.Fields(rhs)
	switch f[0] {
	case "instantiate":
		s.instantiate(f, want, arrow)
	case "register":
		name, err := strconv.Unquote(f[2])
		if err != nil || s.insts[f[1]] == nil {
			s.fail("bad register")
			return
		}
		s.registered[name] = s.insts[f[1]]
	case "invoke":
		s.invoke(f[1], f[2:], want)
	case "get":
		in, name := s.target(f[1])
		e, ok := in.Export(name)
		if !ok || e.Kind != ExternGlobal {
			s.fail("no exported global %s", name)
			return
		}
		s.check([]Val{e.Global.Get()}, want)
	case "log":
		got := fmt.Sprint(s.log)
		if w := fmt.Sprint(want); got != w && !(len(s.log) == 0 && len(want) == 0) {
			s.fail("log is %s, want %s", got, w)
		}
		s.log = nil
	case "set":
		switch f[1] {
		case "TrapUndefined":
			s.cfg.TrapUndefined = true
		case "MaxCallDepth":
			s.cfg.MaxCallDepth, _ = strconv.Atoi(f[2])
		}
	default:
		s.t.Fatalf("%s: unknown directive", s.line)
	}
}

func (s *script) instantiate(f, want []string, arrow bool) {
	s.t.Helper()
	src := section(s.t, s.a, f[1]+".ir")
	m, err := Parse(src)
	if err != nil {
		s.t.Fatalf("%s: %s.ir: %v", s.line, f[1], err)
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		s.t.Fatalf("%s: %s.ir does not verify:\n%s", s.line, f[1], errorLines(errs))
	}
	name := f[1]
	if len(f) == 4 && f[2] == "as" {
		name = f[3]
	}
	in, err := Instantiate(m, s.resolve, s.cfg)
	if !arrow {
		if err != nil {
			s.fail("instantiation failed: %v", err)
			return
		}
		s.insts[name], s.last = in, in
		return
	}
	s.checkErr(err, want)
}

// target splits [INST.]EXPORT.
func (s *script) target(name string) (*Instance, string) {
	if i, n, ok := strings.Cut(name, "."); ok && s.insts[i] != nil {
		return s.insts[i], n
	}
	if s.last == nil {
		s.t.Fatalf("%s: no instance", s.line)
	}
	return s.last, name
}

func (s *script) invoke(name string, argText, want []string) {
	s.t.Helper()
	in, name := s.target(name)
	e, ok := in.Export(name)
	if !ok || e.Kind != ExternFunc {
		s.fail("no exported function %s", name)
		return
	}
	sig := e.Func.Signature()
	if len(argText) != len(sig.Params) {
		s.fail("%d arguments for %v", len(argText), sig)
		return
	}
	args := make([]Val, len(argText))
	for i, a := range argText {
		v, err := parseVal(sig.Params[i], a)
		if err != nil {
			s.fail("argument %d: %v", i, err)
			return
		}
		args[i] = v
	}
	res, err := in.Invoke(name, args)
	if err != nil && (len(want) == 0 || !isErrWord(want[0])) {
		s.fail("error %v, want %v", err, want)
		return
	}
	if len(want) > 0 && isErrWord(want[0]) {
		s.checkErr(err, want)
		return
	}
	s.check(res, want)
}

func isErrWord(w string) bool {
	return w == "trap" || w == "undefined" || w == "error" || w == "link"
}

// checkErr compares an error with "trap CODE", "undefined CODE", "link TEXT…" or
// "error TEXT…" (TEXT a substring of the message).
func (s *script) checkErr(err error, want []string) {
	s.t.Helper()
	if len(want) < 2 {
		s.fail("bad expectation %q", want)
		return
	}
	if err == nil {
		s.fail("no error, want %s", strings.Join(want, " "))
		return
	}
	text := strings.Join(want[1:], " ")
	var trap *Trap
	var undef *UndefinedError
	var link *LinkError
	switch {
	case want[0] == "trap" && errors.As(err, &trap):
		if trap.Code.String() != text {
			s.fail("trap %v (%v), want %s", trap.Code, err, text)
		}
	case want[0] == "undefined" && errors.As(err, &undef):
		if undef.Code.String() != text {
			s.fail("undefined %v (%v), want %s", undef.Code, err, text)
		}
	case want[0] == "link" && errors.As(err, &link):
		if !strings.Contains(err.Error(), text) {
			s.fail("link error %q, want %q", err, text)
		}
	case want[0] == "error" && !errors.As(err, &trap):
		if !strings.Contains(err.Error(), text) {
			s.fail("error %q, want %q", err, text)
		}
	default:
		s.fail("error %T %v, want %s", err, err, strings.Join(want, " "))
	}
}

// check compares results with their expected text.
func (s *script) check(res []Val, want []string) {
	s.t.Helper()
	if len(res) != len(want) {
		s.fail("results %v, want %v", res, want)
		return
	}
	for i, w := range want {
		if !matchVal(res[i], w) {
			s.fail("result %d is %v (%#x), want %s", i, res[i], res[i].Bits, w)
		}
	}
}

// matchVal compares a result with one expected word.
func matchVal(v Val, w string) bool {
	switch w {
	case "null":
		return v.Type.IsRef() && v.Ref == nil
	case "nonnull":
		return v.Type.IsRef() && v.Ref != nil
	case "nan:canonical", "nan:arithmetic":
		bits, quiet, payload := v.Bits, uint64(1<<51), uint64(1<<52-1)
		if v.Type == F32 {
			quiet, payload = 1<<22, 1<<23-1
			bits &= 0xffffffff
		}
		isNaN := v.Type == F32 && math.IsNaN(float64(math.Float32frombits(uint32(bits)))) ||
			v.Type == F64 && math.IsNaN(math.Float64frombits(bits))
		if !isNaN || bits&quiet == 0 {
			return false
		}
		return w == "nan:arithmetic" || bits&payload == quiet
	}
	if name, ok := strings.CutPrefix(w, "func:"); ok {
		f, _ := v.Ref.(*FuncInst)
		return v.Type == FuncRef && f != nil && f.Name() == name
	}
	want, err := parseVal(v.Type, w)
	return err == nil && want.Bits == v.Bits && want.Hi == v.Hi && want.Ref == v.Ref
}

// parseVal reads one value of type t.
func parseVal(t Type, s string) (Val, error) {
	v := Val{Type: t}
	if n, ok := strings.CutPrefix(s, "extern:"); ok {
		i, err := strconv.Atoi(n)
		v.Ref = externRef(i)
		return v, err
	}
	if s == "null" {
		return v, nil
	}
	if b, ok := strings.CutPrefix(s, "bits:"); ok {
		u, err := strconv.ParseUint(b, 0, 64)
		v.Bits = u
		return v, err
	}
	switch t {
	case I32, I64:
		if u, err := strconv.ParseUint(s, 0, 64); err == nil {
			v.Bits = mask(t, u)
			return v, nil
		}
		i, err := strconv.ParseInt(s, 0, 64)
		v.Bits = mask(t, uint64(i))
		return v, err
	case F32, F64:
		if b, ok := strings.CutPrefix(s, "nan:0x"); ok {
			u, err := strconv.ParseUint(b, 16, 64)
			v.Bits = u
			return v, err
		}
		if s == "nan" {
			v.Bits = mask(t, canonNaN64)
			if t == F32 {
				v.Bits = canonNaN32
			}
			return v, nil
		}
		if t == F32 {
			x, err := strconv.ParseFloat(s, 32)
			v.Bits = uint64(math.Float32bits(float32(x)))
			return v, err
		}
		x, err := strconv.ParseFloat(s, 64)
		v.Bits = math.Float64bits(x)
		return v, err
	case V128: // 0x and up to 32 hex digits, the 128-bit little-endian integer
		h, ok := strings.CutPrefix(s, "0x")
		if !ok || len(h) == 0 || len(h) > 32 {
			return v, fmt.Errorf("cannot read %q as v128", s)
		}
		h = strings.Repeat("0", 32-len(h)) + h
		hi, err := strconv.ParseUint(h[:16], 16, 64)
		if err != nil {
			return v, err
		}
		v.Hi = hi
		v.Bits, err = strconv.ParseUint(h[16:], 16, 64)
		return v, err
	}
	return v, fmt.Errorf("cannot read %q as %v", s, t)
}

// mustInstantiate parses, verifies and instantiates src.
func mustInstantiate(t testing.TB, src string, imports Resolver) *Instance {
	t.Helper()
	m, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatal(errorLines(errs))
	}
	in, err := Instantiate(m, imports, InterpConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestInterpHostErrors checks what the scripts cannot: argument and host result type
// errors, which are Go errors rather than traps, and the error texts the spec runner
// matches by prefix.
func TestInterpHostErrors(t *testing.T) {
	bad := NewHostFunc(nil, []Type{I32}, func([]Val) ([]Val, error) { return []Val{I64Val(1)}, nil })
	in := mustInstantiate(t, `import func $bad() -> i32 from "env" "bad"
func $f(i32) -> i32 {
b0(v0:i32):
    v1:i32 = callimport $bad()
    return v1
}
export "f" func $f
`, func(module, name string) (Extern, bool) { return Extern{Kind: ExternFunc, Func: bad}, true })

	if _, err := in.Invoke("f", []Val{I64Val(1)}); err == nil || !strings.Contains(err.Error(), "argument 0 is i64, want i32") {
		t.Errorf("wrong argument type: %v", err)
	}
	if _, err := in.Invoke("f", nil); err == nil || !strings.Contains(err.Error(), "0 arguments for 1 parameters") {
		t.Errorf("missing argument: %v", err)
	}
	var trap *Trap
	if _, err := in.Invoke("f", []Val{I32Val(1)}); err == nil || errors.As(err, &trap) {
		t.Errorf("host result of the wrong type: %v, want a non-trap error", err)
	}
	if _, err := in.Invoke("nosuch", nil); err == nil {
		t.Error("invoking a missing export succeeded")
	}

	le := &LinkError{Module: "M", Name: "f", Msg: "incompatible import type", Detail: "function (i64), want (i32)"}
	if got, want := le.Error(), `incompatible import type "M" "f": function (i64), want (i32)`; got != want {
		t.Errorf("LinkError = %q, want %q", got, want)
	}
	if got := (&Trap{Code: TrapStackExhausted, Func: "f"}).Error(); got != "call stack exhausted" {
		t.Errorf("Trap = %q", got)
	}
	if got := fmt.Sprint([]Val{I32Val(-1), F32Val(1.5), {Type: FuncRef}, {Type: ExternRef, Ref: externRef(3)}}); got != "[i32:-1 f32:1.5 funcref:null externref:3]" {
		t.Errorf("values print as %s", got)
	}
}

// TestInterpStartTrap checks that a trapping start function fails instantiation with
// the trap, after its effects on imported state happened.
func TestInterpStartTrap(t *testing.T) {
	g := NewGlobal(I32, true, I32Val(0))
	m, err := Parse(`import global $g mut i32 from "env" "g"
func $start() {
b0:
    v0:i32 = iconst 1
    globalset $g, v0
    trap unreachable
}
start $start
`)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Instantiate(m, func(string, string) (Extern, bool) { return Extern{Kind: ExternGlobal, Global: g}, true }, InterpConfig{})
	var trap *Trap
	if in != nil || !errors.As(err, &trap) || trap.Code != TrapUnreachable || trap.Func != "start" {
		t.Errorf("Instantiate = %v, %v; want nil and an unreachable trap in $start", in, err)
	}
	if g.Get().Bits != 1 {
		t.Errorf("the start function's write to the imported global was lost")
	}
}

// TestInterpPanicIsError checks that IR breaking an invariant the verifier would have
// caught (here a callindirect type index past Module.Types) gives an error rather than
// a crash, and leaves the instance usable.
func TestInterpPanicIsError(t *testing.T) {
	in := mustInstantiate(t, `table table0 funcref min 2
func $f(i32) -> i32 {
b0(v0:i32):
    brif v0, b1, b2
b1:
    v1:i32 = callindirect table0, v0()
    return v1
b2:
    return v0
}
elem elem0 active table0 at iconst 1 funcref [reffunc $g]
func $g() -> i32 {
b0:
    v0:i32 = iconst 3
    return v0
}
export "f" func $f
`, nil)
	f := in.Module().Funcs[0]
	for i := range f.Instrs {
		if f.Instrs[i].Op == OpCallIndirect {
			f.Instrs[i].Index2 = 99
		}
	}
	if _, err := in.Invoke("f", []Val{I32Val(1)}); err == nil || !strings.Contains(err.Error(), "interpreter panic") {
		t.Errorf("broken IR: %v, want an interpreter panic error", err)
	}
	if res, err := in.Invoke("f", []Val{I32Val(0)}); err != nil || res[0].Bits != 0 {
		t.Errorf("after the panic: %v, %v", res, err)
	}
}

const benchSrc = `memory mem0 min 1

func $sum(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 0
    jump b1(v0, v1)
b1(v2:i32, v3:i32):
    brif v2, b2, b3
b2:
    v4:i32 = iconst 1020
    v5:i32 = iand v2, v4
    boundscheck mem0, v5, 4
    v6:i32 = load mem0[v5 + 0]
    v7:i32 = iadd v3, v6
    v8:i32 = iadd v7, v2
    v9:i32 = iconst 1
    v10:i32 = isub v2, v9
    jump b1(v10, v8)
b3:
    return v3
}

func $fib(i32) -> i32 {
b0(v0:i32):
    v1:i32 = iconst 2
    v2:i32 = icmp ult v0, v1
    brif v2, b1, b2
b1:
    return v0
b2:
    v3:i32 = iconst 1
    v4:i32 = isub v0, v3
    v5:i32 = call $fib(v4)
    v6:i32 = isub v0, v1
    v7:i32 = call $fib(v6)
    v8:i32 = iadd v5, v7
    return v8
}

export "sum" func $sum
export "fib" func $fib
`

// BenchmarkInterpLoop measures the loop: about 9 ops per iteration.
func BenchmarkInterpLoop(b *testing.B) {
	in := mustInstantiate(b, benchSrc, nil)
	for b.Loop() {
		if _, err := in.Invoke("sum", []Val{I32Val(1_000_000)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInterpCall measures calls: fib(25) makes about 250k of them.
func BenchmarkInterpCall(b *testing.B) {
	in := mustInstantiate(b, benchSrc, nil)
	for b.Loop() {
		res, err := in.Invoke("fib", []Val{I32Val(25)})
		if err != nil || res[0].Bits != 75025 {
			b.Fatal(res, err)
		}
	}
}
