package arm64_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/arm64"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/internal/wasmgen"
	"github.com/wasmc/wasmc/ir"
)

// Differential tests (STYLE.md §2.6): random valid modules from internal/wasmgen run in the
// IR interpreter at -O0 and -O2 and natively at -O0 (allocated by regalloc.RunFast, as the
// driver allocates -O0) and -O2; results (bits, with any NaN matching any NaN), trap codes
// and the hash of the final memory and globals, which the generated main returns, must
// agree. Any difference is a compiler bug.

// diffSeeds is how many seeds a normal test run checks; each costs four runs, two of them
// native executables.
const diffSeeds = 400

// knownBugs are seeds that expose compiler bugs not fixed yet, with what goes wrong. They
// are checked but reported as failures only when WASMC_KNOWN_BUGS=1, so that CI stays
// green while the list stays visible.
var knownBugs = map[uint64]string{}

func TestDiffRandom(t *testing.T) {
	requireNative(t)
	n := uint64(diffSeeds)
	if testing.Short() {
		n = 30
	}
	strict := os.Getenv("WASMC_KNOWN_BUGS") == "1"
	traps := 0
	for seed := range n {
		msg, trapped := diffSeed(t, seed)
		if trapped {
			traps++
		}
		bug, known := knownBugs[seed]
		switch {
		case msg != "" && known && !strict:
			t.Logf("seed %d: known bug (%s); WASMC_KNOWN_BUGS=1 reports it", seed, bug)
		case msg != "":
			t.Errorf("seed %d: %s", seed, msg)
		case known:
			t.Errorf("seed %d passes now: remove it from knownBugs (%s)", seed, bug)
		}
	}
	t.Logf("%d seeds, %d ended in a trap", n, traps)
}

func FuzzDiff(f *testing.F) {
	for seed := range uint64(8) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		requireNative(t)
		if _, known := knownBugs[seed]; known {
			return
		}
		if msg, _ := diffSeed(t, seed); msg != "" {
			t.Errorf("seed %d: %s", seed, msg)
		}
	})
}

// outcome is what one run produced.
type outcome struct {
	results []ir.Val
	trap    ir.TrapCode
	err     error // not a wasm outcome: a compile error, crash, or interpreter failure
}

func (o outcome) String() string {
	if o.err != nil {
		return "error: " + o.err.Error()
	}
	if o.trap != ir.TrapNone {
		return "trap " + o.trap.String()
	}
	s := make([]string, len(o.results))
	for i, r := range o.results {
		s[i] = fmt.Sprintf("%v (%#x)", r, r.Bits)
	}
	return strings.Join(s, ", ")
}

// diffSeed runs the module of seed four ways and returns a description of any difference,
// with the module's IR, and whether the reference run trapped.
func diffSeed(t *testing.T, seed uint64) (string, bool) {
	t.Helper()
	// Bare: the test runtime implements no runtime routine but memory.grow's, and links
	// active segments statically.
	wm := wasmgen.Generate(rand.New(rand.NewPCG(seed, 0)), wasmgen.Config{Bare: true})
	if err := frontend.Validate(wm); err != nil {
		t.Fatalf("seed %d: the generator made an invalid module: %v", seed, err)
	}
	lower := func(level int) *ir.Module {
		m, err := frontend.Lower(wm)
		if err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
		if err := ir.RunModule(m, ir.Config{Level: level, Verify: true}); err != nil {
			t.Fatalf("seed %d: -O%d: %v", seed, level, err)
		}
		return m
	}
	want := interpret(lower(0))
	if want.err != nil {
		t.Fatalf("seed %d: interpreter: %v", seed, want.err)
	}
	runs := []struct {
		name string
		run  func() outcome
	}{
		{"interpreter -O2", func() outcome { return interpret(lower(2)) }},
		{"native -O0", func() outcome { return native(t, lower(0), true) }},
		{"native -O2", func() outcome { return native(t, lower(2), false) }},
	}
	var bad []string
	for _, r := range runs {
		if got := r.run(); !same(want, got) {
			bad = append(bad, fmt.Sprintf("%s: %v", r.name, got))
		}
	}
	if len(bad) == 0 {
		return "", want.trap != ir.TrapNone
	}
	return fmt.Sprintf("interpreter -O0: %v; %s\n%s", want, strings.Join(bad, "; "), lower(0)), want.trap != ir.TrapNone
}

func interpret(m *ir.Module) outcome {
	inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
	if err != nil {
		return outcome{err: err}
	}
	res, err := inst.Invoke("main", nil)
	var trap *ir.Trap
	if errors.As(err, &trap) {
		return outcome{trap: trap.Code}
	}
	return outcome{results: res, err: err}
}

// native runs m compiled as the driver compiles it: with regalloc.RunFast at -O0 (fast),
// with linear scan above.
func native(t *testing.T, m *ir.Module, fast bool) outcome {
	res, trap, err := arm64.RunNativeModule(t, m, "main", fast)
	return outcome{results: res, trap: trap, err: err}
}

// same compares bit for bit, except that any NaN matches any NaN: wasm lets float ops
// return any NaN, and the generator canonicalizes NaNs everywhere else their bits show.
func same(want, got outcome) bool {
	if got.err != nil || want.trap != got.trap || len(want.results) != len(got.results) {
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

func requireNative(t *testing.T) {
	t.Helper()
	if arm64.NativeOK() {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("linux/arm64 code runs only on linux/arm64 or under qemu-aarch64-static")
	}
	t.Skip("linux/arm64 code runs only on linux/arm64 or under qemu-aarch64-static")
}
