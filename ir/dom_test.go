package ir

import (
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestDom prints the immediate dominator of each block of each testdata/dom case and
// compares it with want.dom.
func TestDom(t *testing.T) {
	for _, path := range glob(t, "testdata/dom/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Parse(section(t, a, "in.ir"))
			if err != nil {
				t.Fatalf("in.ir:%v", err)
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Fatalf("in.ir does not verify:\n%s", errorLines(errs))
			}
			var b strings.Builder
			for _, f := range m.Funcs {
				d := f.Dom()
				for _, blk := range f.Layout {
					switch {
					case blk == f.Entry():
						fmt.Fprintf(&b, "%v entry\n", blk)
					case !d.Reachable(blk):
						fmt.Fprintf(&b, "%v unreachable\n", blk)
					default:
						fmt.Fprintf(&b, "%v idom %v\n", blk, d.IDom(blk))
					}
				}
			}
			checkSection(t, path, a, "want.dom", b.String())
		})
	}
}

// TestDominatesMatchesDefinition compares Dominates on every pair of blocks of every
// testdata function with the definition, computed the slow way: a dominates b iff b is
// unreachable from the entry once a is removed (for a != b, both reachable).
func TestDominatesMatchesDefinition(t *testing.T) {
	for path, f := range testdataFuncs(t) {
		c, d := f.CFG(), f.Dom()
		reach := func(skip BlockID) []bool {
			seen := make([]bool, len(f.Blocks))
			if f.Entry() == skip {
				return seen
			}
			stack := []BlockID{f.Entry()}
			seen[f.Entry()] = true
			for len(stack) > 0 {
				b := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, s := range c.Succs[b] {
					if s != skip && !seen[s] {
						seen[s] = true
						stack = append(stack, s)
					}
				}
			}
			return seen
		}
		all := reach(NoBlock)
		for _, a := range f.Layout {
			without := reach(a)
			for _, b := range f.Layout {
				want := a == b || all[a] && all[b] && !without[b]
				if got := d.Dominates(a, b); got != want {
					t.Errorf("%s $%s: Dominates(%v, %v) = %v, want %v", path, f.Name, a, b, got, want)
				}
			}
			if c.Reachable(a) != all[a] {
				t.Errorf("%s $%s: Reachable(%v) = %v", path, f.Name, a, c.Reachable(a))
			}
		}
	}
}

// TestDomFollowsEdits checks that the cached CFG and dominator tree notice edits made
// behind their back: retargeting a branch and adding a block, with no refresh call.
func TestDomFollowsEdits(t *testing.T) {
	m, err := Parse(`
func $f(i32) {
b0(v0:i32):
    brif v0, b1, b2
b1:
    jump b3
b2:
    jump b3
b3:
    return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	f := m.Funcs[0]
	d := f.Dom()
	if got := d.IDom(3); got != 0 {
		t.Fatalf("IDom(b3) = %v, want b0", got)
	}
	if f.Dom() != d {
		t.Errorf("Dom recomputed without an edit")
	}
	// Make b2 jump to b1 and b1 the only way to b3: now b1 dominates b3.
	f.Terminator(2).Targets[0].Block = 1
	if got := f.Dom().IDom(3); got != 1 {
		t.Errorf("after retargeting, IDom(b3) = %v, want b1", got)
	}
	if got := f.CFG().Preds[1]; len(got) != 2 {
		t.Errorf("after retargeting, Preds(b1) = %v, want [b0 b2]", got)
	}
	// A new block, unreachable for now, must be known to the analyses.
	b := NewBuilder(f)
	nb := b.NewBlock()
	if f.Dom().Reachable(nb) || len(f.CFG().Preds) != len(f.Blocks) {
		t.Errorf("new block %v: Reachable = true or CFG not resized", nb)
	}
	b.SetBlock(nb)
	b.Jump(3)
	f.Terminator(1).Targets[0].Block = nb
	if got := f.Dom().IDom(3); got != nb {
		t.Errorf("after routing b1 through %v, IDom(b3) = %v", nb, got)
	}
}

// testdataFuncs yields every defined function of testdata/*.ir and of the in.ir sections
// of testdata/dom/*.txtar, with the file it comes from.
func testdataFuncs(t *testing.T) iter.Seq2[string, *Func] {
	return func(yield func(string, *Func) bool) {
		for _, path := range append(glob(t, "testdata/*.ir"), glob(t, "testdata/dom/*.txtar")...) {
			src := readFile(t, path)
			if strings.HasSuffix(path, ".txtar") {
				src = section(t, txtar.Parse([]byte(src)), "in.ir")
			}
			m, err := Parse(src)
			if err != nil {
				t.Fatalf("%s:%v", path, err)
			}
			for _, f := range m.Funcs {
				if !f.IsImport() && !yield(path, f) {
					return
				}
			}
		}
	}
}
