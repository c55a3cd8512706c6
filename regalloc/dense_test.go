package regalloc

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// denseFunc is a testFunc that also implements DenseFunc, counting how often the
// allocator still asks for an instruction's operands one by one.
type denseFunc struct {
	*testFunc
	perItem int
}

func (f *denseFunc) AppendOperands(i int, ops []Operand) []Operand {
	f.perItem++
	return f.testFunc.AppendOperands(i, ops)
}

func (f *denseFunc) Edges() Edges {
	var e Edges
	e.PredStart, e.SuccStart, e.ParamStart = []int32{0}, []int32{0}, []int32{0}
	e.ArgStart = []int32{0}
	for _, b := range f.blocks {
		e.Preds = append(e.Preds, b.preds...)
		e.Succs = append(e.Succs, b.succs...)
		e.Params = append(e.Params, b.params...)
		for k := range b.succs {
			if k < len(b.args) {
				e.Args = append(e.Args, b.args[k]...)
			}
			e.ArgStart = append(e.ArgStart, int32(len(e.Args)))
		}
		e.PredStart = append(e.PredStart, int32(len(e.Preds)))
		e.SuccStart = append(e.SuccStart, int32(len(e.Succs)))
		e.ParamStart = append(e.ParamStart, int32(len(e.Params)))
	}
	return e
}

func (f *denseFunc) AppendClasses(cs []Class) []Class { return append(cs, f.class...) }

func (f *denseFunc) AppendInstrs(l *InstrList) {
	for _, in := range f.instrs {
		l.Add(in.ops, in.clobbers, in.op == "copy")
	}
}

// allocations runs Run and RunFast on f, giving each one's allocation or error.
func allocations(f Func, tf *testFunc, cfg *Config) [2]string {
	var out [2]string
	for k, run := range []func(Func, *Config) (*Result, error){Run, RunFast} {
		r, err := run(f, cfg)
		if err != nil {
			out[k] = "error: " + err.Error()
		} else {
			out[k] = tf.format(cfg, r)
		}
	}
	return out
}

// TestDenseLoad: a function read through DenseFunc is allocated as when read through the
// per-item methods of Func, without asking for any instruction's operands one by one when
// it is well formed, and a broken one fails with the same error (issue 21: load's
// interface calls per block, value and instruction were a tenth of -O0's code generation).
// The functions are the golden tests', random ones, and random ones broken at one place.
func TestDenseLoad(t *testing.T) {
	type test struct {
		name string
		f    *testFunc
		cfg  *Config
	}
	var tests []test
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		_, cfg, f := goldenFile(t, file)
		tests = append(tests, test{filepath.Base(file), f, cfg})
	}
	if len(tests) == 0 {
		t.Fatal("no golden tests")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 300 {
		g := newGen(rng)
		tests = append(tests, test{fmt.Sprint("random ", n), g.function(), g.cfg})
	}
	check := func(name string, tf *testFunc, cfg *Config) (failed bool) {
		want := allocations(tf, tf, cfg)
		df := &denseFunc{testFunc: tf}
		got := allocations(df, tf, cfg)
		if got != want {
			t.Errorf("%s: through DenseFunc:\n%s\n%s\nwant\n%s\n%s", name, got[0], got[1], want[0], want[1])
		}
		ok := !strings.HasPrefix(want[0], "error") && !strings.HasPrefix(want[1], "error")
		if ok && df.perItem != 0 {
			t.Errorf("%s: a well-formed DenseFunc was asked %d times for an instruction's operands", name, df.perItem)
		}
		return !ok
	}
	var broken, failed int
	for _, tc := range tests {
		check(tc.name, tc.f, tc.cfg)
		// Break one operand, restoring it after.
		f := tc.f
		for range 4 {
			in := f.instrs[rng.IntN(len(f.instrs))]
			if len(in.ops) == 0 {
				continue
			}
			k := rng.IntN(len(in.ops))
			old := in.ops[k]
			switch rng.IntN(5) {
			case 0:
				in.ops[k].vreg = VReg(len(f.class))
			case 1:
				in.ops[k].def = !old.def
			case 2:
				in.ops[k] = FixedUse(tc.cfg.Scratch[rng.IntN(int(NumClasses))])
			case 3:
				in.ops[k] = FixedDef(PReg(rng.IntN(4)))
			case 4:
				in.ops[k].reuse = uint8(rng.IntN(4))
			}
			broken++
			if check(tc.name+" broken", f, tc.cfg) {
				failed++
			}
			in.ops[k] = old
		}
	}
	if failed == 0 {
		t.Errorf("none of %d broken functions failed to allocate", broken)
	}
	t.Logf("%d functions, %d broken at an operand, of which %d fail", len(tests), broken, failed)
}
