package wasmgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/ir"
)

// TestValid checks the generator's one promise that everything else rests on: every
// module it makes validates, encodes, decodes and lowers, Bare or not.
func TestValid(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		cfg := Config{Bare: seed%2 == 1, SIMD: seed%4 >= 2}
		m := Generate(rand.New(rand.NewPCG(seed, 0)), cfg)
		if err := frontend.Validate(m); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		bin := frontend.Encode(m)
		d, err := frontend.Decode(bin)
		if err != nil {
			t.Fatalf("seed %d: decode: %v", seed, err)
		}
		if err := frontend.Validate(d); err != nil {
			t.Fatalf("seed %d: decoded: %v", seed, err)
		}
		if _, err := frontend.Lower(m); err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
	}
}

// TestDeterministic: a seed names a module, so a failing seed reproduces.
func TestDeterministic(t *testing.T) {
	a := frontend.Encode(Generate(rand.New(rand.NewPCG(7, 0)), Config{}))
	b := frontend.Encode(Generate(rand.New(rand.NewPCG(7, 0)), Config{}))
	if string(a) != string(b) {
		t.Fatal("same seed, different modules")
	}
}

// TestOpcodes checks that the generator reaches the whole instruction set: every non-SIMD
// opcode of the frontend's table appears in the function bodies of a few hundred modules,
// and with Config.SIMD every SIMD opcode too.
func TestOpcodes(t *testing.T) {
	for _, simd := range []bool{false, true} {
		t.Run(fmt.Sprintf("SIMD=%v", simd), func(t *testing.T) { testOpcodes(t, simd) })
	}
}

func testOpcodes(t *testing.T, simd bool) {
	seen := map[frontend.Opcode]bool{}
	n := uint64(300)
	if simd { // some 230 more opcodes, each drawn less often
		n = 800
	}
	for seed := range n {
		m := Generate(rand.New(rand.NewPCG(seed, 0)), Config{SIMD: simd})
		if err := frontend.Validate(m); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		for i, c := range m.Codes {
			var in frontend.Instr
			for pos := 0; pos < len(c.Body); {
				next, err := frontend.ReadInstr(c.Body, pos, 0, &in)
				if err != nil {
					t.Fatalf("seed %d: function %d: %v", seed, i, err)
				}
				seen[in.Op] = true
				pos = next
			}
		}
	}
	var missing []string
	frontend.ForEachOp(func(op frontend.Opcode, info *frontend.OpInfo) {
		if (simd || op>>16 != frontend.PrefixSIMD) && !seen[op] {
			missing = append(missing, fmt.Sprintf("%s (%#x)", info.Name, uint32(op)))
		}
	})
	if len(missing) > 0 {
		t.Errorf("%d opcodes never generated: %s", len(missing), strings.Join(missing, ", "))
	}
}

// TestTraps checks, in the interpreter, that most modules run to the end (so that the
// code after trap sites runs too) and that the traps the generator aims at all happen.
func TestTraps(t *testing.T) {
	const n = 400
	counts := map[ir.TrapCode]int{}
	for seed := range uint64(n) {
		m, err := frontend.Lower(Generate(rand.New(rand.NewPCG(seed, 0)), Config{}))
		if err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
		var trap *ir.Trap
		inst, err := ir.Instantiate(m, nil, ir.InterpConfig{})
		if err == nil {
			_, err = inst.Invoke("main", nil)
		}
		switch {
		case err == nil:
			counts[ir.TrapNone]++
		case errors.As(err, &trap):
			counts[trap.Code]++
		default:
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	t.Logf("of %d modules: %v", n, counts)
	if counts[ir.TrapNone] < n/2 {
		t.Errorf("only %d of %d modules run to the end", counts[ir.TrapNone], n)
	}
	for _, c := range []ir.TrapCode{ir.TrapUnreachable, ir.TrapIntDivideByZero, ir.TrapIntOverflow,
		ir.TrapInvalidConversion, ir.TrapOutOfBoundsMemory, ir.TrapOutOfBoundsTable,
		ir.TrapIndirectCallTypeMismatch, ir.TrapUninitializedElement} {
		if counts[c] == 0 {
			t.Errorf("no module traps with %v", c)
		}
	}
}
