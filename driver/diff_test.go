package driver_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/internal/targets"
	"github.com/wasmc/wasmc/internal/targettest"
	"github.com/wasmc/wasmc/internal/wasmgen"
	"github.com/wasmc/wasmc/ir"
)

// Differential tests through the whole pipeline (STYLE.md §2.6), for every target: random
// valid modules from internal/wasmgen run in the IR interpreter and as executables that
// driver.Build makes at -O0 and -O2, natively or under qemu. The results of "main" (bits,
// any NaN matching any NaN) or the trap code must agree; main's results include a hash of
// the final memory and globals. amd64's own TestDiffRandom checks its code generator below
// the driver; this one checks what users get, the runtime and process entry included.
//
// Seeds are checked in batches, each batch one executable of a .wast script's kind
// (driver.Script): every module an instance, a step that instantiates it and one that
// calls main, so a trap ends one step rather than the process, and a batch costs one build
// and one process start, which matters under an emulator. A batch whose executable dies
// is checked again seed by seed, so that the failure names its seed.

// diffSeeds is how many seeds a normal run checks per target (-short: diffSeedsShort).
const (
	diffSeeds      = 1000
	diffSeedsShort = 100
	diffBatch      = 100
)

var diffTarget = flag.String("diff.target", "", "FuzzDiff: fuzz only this target (default: every ready one)")

// TestDiff checks diffSeeds seeds for each target at -O0 and -O2.
func TestDiff(t *testing.T) {
	n := uint64(diffSeeds)
	if testing.Short() {
		n = diffSeedsShort
	}
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		traps := 0
		for start := uint64(0); start < n; start += diffBatch {
			var seeds []uint64
			for s := start; s < min(start+diffBatch, n); s++ {
				seeds = append(seeds, s)
			}
			cs := newDiffCases(t, seeds)
			for _, c := range cs {
				if c.want.trap != ir.TrapNone {
					traps++
				}
			}
			for _, level := range []int{0, 2} {
				for _, msg := range diffRun(t, x, level, cs) {
					t.Error(msg)
				}
			}
		}
		t.Logf("%d seeds at -O0 and -O2, %d of them end in a trap", n, traps)
	})
}

// FuzzDiff checks one seed on every ready target, or on -diff.target alone, at -O0 and
// -O2: go test ./driver -run '^$' -fuzz FuzzDiff -diff.target linux/arm64.
func FuzzDiff(f *testing.F) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	var xs []targettest.Exec
	for _, tg := range targettest.Linux() {
		if *diffTarget != "" && tg.Name != *diffTarget {
			continue
		}
		if !tg.Ready() {
			if *diffTarget != "" {
				_, err := tg.ISA()
				f.Skip(err)
			}
			continue // every other test says so
		}
		xs = append(xs, targettest.Need(f, tg))
	}
	if len(xs) == 0 {
		if *diffTarget == "" {
			f.Skip("no Linux target is ready")
		}
		if _, err := targets.Lookup(*diffTarget); err != nil {
			f.Fatal(err)
		}
		f.Skipf("-diff.target %s: not a Linux target", *diffTarget)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		cs := newDiffCases(t, []uint64{seed})
		for _, x := range xs {
			for _, level := range []int{0, 2} {
				for _, msg := range diffRun(t, x, level, cs) {
					t.Error(msg)
				}
			}
		}
	})
}

// diffOutcome is what one run of main produced.
type diffOutcome struct {
	results []ir.Val
	trap    ir.TrapCode // TrapNone if main returned
	init    bool        // the trap was the module's instantiation's
}

func (o diffOutcome) String() string {
	if o.trap != ir.TrapNone {
		if o.init {
			return "instantiation trap " + o.trap.String()
		}
		return "trap " + o.trap.String()
	}
	s := make([]string, len(o.results))
	for i, r := range o.results {
		s[i] = fmt.Sprintf("%v (%#x)", r, r.Bits)
	}
	return strings.Join(s, ", ")
}

// diffCase is one seed's module and the interpreter's outcome.
type diffCase struct {
	seed    uint64
	wasm    []byte
	results []ir.Type
	want    diffOutcome
}

// diffConfig is seed's generator configuration: odd seeds make modules with v128 values
// and SIMD instructions (every Linux target selects them), even seeds the scalar modules
// they always made, so that half the corpus keeps its modules and scalar code keeps half
// the seeds to itself.
func diffConfig(seed uint64) wasmgen.Config {
	return wasmgen.Config{SIMD: seed%2 == 1}
}

// newDiffCases generates each seed's module and runs it in the interpreter at -O0.
func newDiffCases(t testing.TB, seeds []uint64) []diffCase {
	t.Helper()
	var cs []diffCase
	for _, seed := range seeds {
		wm := wasmgen.Generate(rand.New(rand.NewPCG(seed, 0)), diffConfig(seed))
		if err := frontend.Validate(wm); err != nil {
			t.Fatalf("seed %d: the generator made an invalid module: %v", seed, err)
		}
		m, err := frontend.Lower(wm)
		if err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
		if err := ir.RunModule(m, ir.Config{Level: 0, Verify: true}); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		main, ok := m.Export("main", ir.ExternFunc)
		if !ok {
			t.Fatalf("seed %d: no main", seed)
		}
		c := diffCase{seed: seed, wasm: frontend.Encode(wm), results: m.Funcs[main].Sig.Results}
		c.want = interpretMain(t, seed, m)
		cs = append(cs, c)
	}
	return cs
}

func interpretMain(t testing.TB, seed uint64, m *ir.Module) diffOutcome {
	var trap *ir.Trap
	inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
	if errors.As(err, &trap) {
		return diffOutcome{trap: trap.Code, init: true}
	}
	if err != nil {
		t.Fatalf("seed %d: interpreter: %v", seed, err)
	}
	res, err := inst.Invoke("main", nil)
	if errors.As(err, &trap) {
		return diffOutcome{trap: trap.Code}
	}
	if err != nil {
		t.Fatalf("seed %d: interpreter: %v", seed, err)
	}
	return diffOutcome{results: res}
}

// diffRun builds the cases' modules into one executable for x at level, runs it, and
// returns a message for each seed whose outcome differs from the interpreter's. If the
// executable cannot be built or dies, several cases are checked again one by one.
func diffRun(t testing.TB, x targettest.Exec, level int, cs []diffCase) []string {
	t.Helper()
	got, err := diffExecute(t, x, level, cs)
	if err != nil {
		if len(cs) > 1 {
			var msgs []string
			for i := range cs {
				msgs = append(msgs, diffRun(t, x, level, cs[i:i+1])...)
			}
			if len(msgs) == 0 {
				msgs = append(msgs, fmt.Sprintf("%s -O%d: seeds %d..%d together: %v, but each alone agrees", x.Name, level, cs[0].seed, cs[len(cs)-1].seed, err))
			}
			return msgs
		}
		return []string{fmt.Sprintf("seed %d: %s -O%d: %v", cs[0].seed, x.Name, level, err)}
	}
	var msgs []string
	for i, c := range cs {
		if !sameOutcome(c.want, got[i]) {
			msgs = append(msgs, fmt.Sprintf("seed %d: %s -O%d: %v, interpreter: %v", c.seed, x.Name, level, got[i], c.want))
		}
	}
	return msgs
}

// diffExecute builds and runs the executable of cs and reads back each case's outcome
// from the driver's lines (rtlib/c/driver.c): the runtime's initialisation, then an
// instantiation and a call of main per case.
func diffExecute(t testing.TB, x targettest.Exec, level int, cs []diffCase) ([]diffOutcome, error) {
	var inputs []driver.Input
	var steps []driver.Step
	for i, c := range cs {
		inputs = append(inputs, driver.Input{Path: fmt.Sprintf("seed%d.wasm", c.seed), Data: c.wasm})
		steps = append(steps, driver.Step{Kind: driver.StepInit, Input: i}, driver.Step{Kind: driver.StepInvoke, Input: i, Export: "main"})
	}
	o := options(x.ISA, level)
	o.Script = &driver.Script{Steps: steps}
	exe, err := driver.Build(inputs, o)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	dir, err := os.MkdirTemp("", "wasmc-diff-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "diff")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := x.Runner.CommandContext(ctx, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the executable: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var lines []string
	for sc := bufio.NewScanner(&stdout); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 1+len(steps) {
		return nil, fmt.Errorf("%d lines of output for %d steps", len(lines), len(steps))
	}
	lines = lines[1:]
	out := make([]diffOutcome, len(cs))
	for i, c := range cs {
		init, call := lines[2*i], lines[2*i+1]
		switch {
		case strings.HasPrefix(init, "trap "):
			code, err := strconv.Atoi(strings.TrimPrefix(init, "trap "))
			if err != nil {
				return nil, fmt.Errorf("seed %d: driver line %q", c.seed, init)
			}
			out[i] = diffOutcome{trap: ir.TrapCode(code), init: true}
		case init != "ok":
			return nil, fmt.Errorf("seed %d: instantiation: driver line %q", c.seed, init)
		case strings.HasPrefix(call, "trap "):
			code, err := strconv.Atoi(strings.TrimPrefix(call, "trap "))
			if err != nil {
				return nil, fmt.Errorf("seed %d: driver line %q", c.seed, call)
			}
			out[i] = diffOutcome{trap: ir.TrapCode(code)}
		default:
			fields := strings.Fields(strings.TrimPrefix(call, "ok"))
			if !strings.HasPrefix(call, "ok") || len(fields) != len(c.results) {
				return nil, fmt.Errorf("seed %d: main: driver line %q for %d results", c.seed, call, len(c.results))
			}
			for j, f := range fields {
				bits, err := strconv.ParseUint(f, 16, 64)
				if err != nil {
					return nil, fmt.Errorf("seed %d: driver line %q", c.seed, call)
				}
				out[i].results = append(out[i].results, ir.Val{Type: c.results[j], Bits: bits})
			}
		}
	}
	return out, nil
}

// sameOutcome compares bit for bit, except that any NaN matches any NaN: wasm lets float
// ops return any NaN, and the generator canonicalizes NaNs wherever else their bits show.
func sameOutcome(want, got diffOutcome) bool {
	if want.trap != got.trap || want.init != got.init || len(want.results) != len(got.results) {
		return false
	}
	for i, w := range want.results {
		g := got.results[i]
		switch w.Type {
		case ir.F32:
			if isNaN32(w.Bits) && isNaN32(g.Bits) {
				continue
			}
		case ir.F64:
			if math.IsNaN(math.Float64frombits(w.Bits)) && math.IsNaN(math.Float64frombits(g.Bits)) {
				continue
			}
		}
		if w.Bits != g.Bits {
			return false
		}
	}
	return true
}

func isNaN32(b uint64) bool { return math.IsNaN(float64(math.Float32frombits(uint32(b)))) }
