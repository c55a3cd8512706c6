package ir

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// moduleInliner is an Inliner over a module parsed from the same text as the one being
// optimized, so that bodies are copied from functions no pass touches, as the driver
// copies them from sources: every defined function that does not call itself may be
// inlined, at the cost of its size, except those named in never.
func moduleInliner(pristine *Module, growth int, never ...string) *Inliner {
	cost := make([]int, len(pristine.Funcs))
	for i, g := range pristine.Funcs {
		cost[i] = -1
		if g.IsImport() || slices.Contains(never, g.Name) {
			continue
		}
		self := false
		n, _ := g.Calls(func(c uint32) { self = self || int(c) == i })
		if !self {
			cost[i] = n
		}
	}
	return &Inliner{
		Cost: func(c uint32) int { return cost[c] },
		Body: func(c uint32) *Func {
			g := pristine.Funcs[c]
			h := &Func{Name: g.Name, Sig: g.Sig, Module: g.Module}
			copyBody(h, g)
			return h
		},
		Growth: growth,
	}
}

// inlineCase is one testdata/inline filetest's directives.
type inlineCase struct {
	growth int
	never  []string
}

// parseInlineCase reads the comment of an inline filetest: "growth: N" (the Inliner's
// Growth, 1000 when missing), "never: $a $b" (callees that may not be inlined) and at
// least one line saying why the case exists.
func parseInlineCase(t *testing.T, comment string) inlineCase {
	t.Helper()
	c := inlineCase{growth: 1000}
	why := ""
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "growth:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil {
				t.Fatalf("growth: %v", err)
			}
			c.growth = n
			continue
		}
		if rest, ok := strings.CutPrefix(line, "never:"); ok {
			for _, name := range strings.Fields(rest) {
				c.never = append(c.never, strings.TrimPrefix(name, "$"))
			}
			continue
		}
		why += line
	}
	if strings.TrimSpace(why) == "" {
		t.Fatal("the comment does not say why the case exists")
	}
	return c
}

// TestInline runs each testdata/inline case: Inline over every defined function of
// in.ir, with bodies from a second parse of it, then the verifier, and compares the
// module with want.ir (rewritten under -update). The interpreter then runs each function
// of in.ir and of the result alike (TestPipelineDifferential, which covers these files).
func TestInline(t *testing.T) {
	for _, path := range glob(t, "testdata/inline/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := parseInlineCase(t, string(a.Comment))
			src := section(t, a, "in.ir")
			m, err := Parse(src)
			if err != nil {
				t.Fatalf("in.ir:%v", err)
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Fatalf("in.ir does not verify:\n%s", errorLines(errs))
			}
			pristine, _ := Parse(src)
			il := moduleInliner(pristine, c.growth, c.never...)
			for _, f := range m.Funcs {
				if f.IsImport() {
					continue
				}
				if err := runPass(f, Pass{Name: "inline", Run: func(f *Func) { Inline(f, il) }}, Config{Verify: true, Dump: func(string, *Func) {}}); err != nil {
					t.Fatal(err)
				}
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Fatalf("the module does not verify after inline:\n%s", errorLines(errs))
			}
			got := m.String()
			checkSection(t, path, a, "want.ir", got)
			if _, err := Parse(got); err != nil {
				t.Errorf("reparsing the output: %v", err)
			}
		})
	}
}

// TestInlineRepeated inlines one callee at 200 call sites in one block: the output is
// checked as a whole by the verifier, and its size shows the splice did not copy the
// block once per call (it would be quadratic).
func TestInlineRepeated(t *testing.T) {
	var b strings.Builder
	b.WriteString("func $inc(i32) -> i32 {\nb0(v0:i32):\n    v1:i32 = iconst 1\n    v2:i32 = iadd v0, v1\n    return v2\n}\n\n")
	b.WriteString("func $f(i32) -> i32 {\nb0(v0:i32):\n")
	const n = 200
	for i := range n {
		fmt.Fprintf(&b, "    v%d:i32 = call $inc(v%d)\n", i+1, i)
	}
	fmt.Fprintf(&b, "    return v%d\n}\n", n)
	m, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	pristine, _ := Parse(b.String())
	f := m.Funcs[1]
	Inline(f, moduleInliner(pristine, 10*n))
	if errs := Verify(f); len(errs) > 0 {
		t.Fatalf("does not verify:\n%s", errorLines(errs))
	}
	if len(f.Layout) != n+1 || strings.Contains(f.String(), "call") {
		t.Errorf("%d blocks, want %d, and no call left:\n%s", len(f.Layout), n+1, f)
	}
	instrs := 0
	for _, blk := range f.Layout {
		instrs += len(f.Blocks[blk].Instrs)
	}
	if instrs != 3*n+1 {
		t.Errorf("%d instructions, want %d", instrs, 3*n+1)
	}
	// With a budget for half the calls, the first half in layout order is inlined.
	m, _ = Parse(b.String())
	f = m.Funcs[1]
	Inline(f, moduleInliner(pristine, 3*n/2))
	if got := strings.Count(f.String(), "call $inc"); got != n/2 {
		t.Errorf("%d calls left with a budget for %d of %d", got, n/2, n)
	}
}

// TestInlineConcurrent inlines into many functions at once from one body built from a
// snapshot, as the driver's workers do, under the race detector in CI: the body, like
// the snapshot, is only read, by any number of workers, and no worker writes what
// another reads.
func TestInlineConcurrent(t *testing.T) {
	src := `func $sq(i32) -> i32 {
b0(v0:i32):
    v1:i32 = imul v0, v0
    return v1
}

func $f(i32) -> i32 {
b0(v0:i32):
    v1:i32 = call $sq(v0)
    v2:i32 = call $sq(v1)
    return v2
}
`
	pristine, _ := Parse(src)
	h := &Func{Name: "sq", Sig: pristine.Funcs[0].Sig, Module: pristine, Source: Snapshot(pristine.Funcs[0])}
	if err := h.Load(); err != nil {
		t.Fatal(err)
	}
	il := &Inliner{
		Cost:   func(c uint32) int { return map[uint32]int{0: 2, 1: -1}[c] },
		Body:   func(c uint32) *Func { return h },
		Growth: 100,
	}
	var wg sync.WaitGroup
	outs := make([]string, 8)
	for i := range outs {
		wg.Go(func() {
			m, _ := Parse(src)
			Inline(m.Funcs[1], il)
			outs[i] = m.Funcs[1].String()
		})
	}
	wg.Wait()
	for i := range outs {
		if diff := cmp.Diff(outs[0], outs[i]); diff != "" || strings.Contains(outs[i], "call") {
			t.Errorf("worker %d:\n%s", i, outs[i])
		}
	}
}

// TestSnapshot: a snapshot builds the body as it was when taken, however the function
// changes afterwards, and a copy it built shares no slice with it or with another copy,
// nor one block's instruction list with another's.
func TestSnapshot(t *testing.T) {
	m, err := Parse(readFile(t, "testdata/control.ir"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Funcs {
		if f.IsImport() {
			continue
		}
		want := f.String()
		s := Snapshot(f)
		Fold(f) // the function goes on being compiled
		DCE(f)
		load := func() *Func {
			h := &Func{Name: f.Name, Sig: f.Sig, Module: m, Source: s}
			if err := h.Load(); err != nil {
				t.Fatal(err)
			}
			return h
		}
		a, b := load(), load()
		for i := range a.Instrs {
			for j := range a.Instrs[i].Args {
				a.Instrs[i].Args[j] = NoValue
			}
		}
		lists := map[BlockID][]InstrID{}
		for _, blk := range a.Layout {
			lists[blk] = slices.Clone(a.Blocks[blk].Instrs)
		}
		for _, blk := range a.Layout { // appending to one block's list keeps the others
			a.Blocks[blk].Instrs = append(a.Blocks[blk].Instrs, NoInstr)
		}
		for _, blk := range a.Layout {
			if got := a.Blocks[blk].Instrs; !slices.Equal(got[:len(got)-1], lists[blk]) {
				t.Errorf("$%s: appending to another block's instructions changed %v's", f.Name, blk)
			}
		}
		if got := b.String(); got != want {
			t.Errorf("$%s: the second copy changed with the first:\n%s", f.Name, cmp.Diff(want, got))
		}
		if got := load().String(); got != want {
			t.Errorf("$%s: the snapshot changed:\n%s", f.Name, cmp.Diff(want, got))
		}
	}
}
