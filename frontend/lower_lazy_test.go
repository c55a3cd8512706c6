package frontend_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
	"github.com/wasmc/wasmc/ir"
)

// TestLowerLazy: lowering on demand gives, function by function, exactly the IR of
// lowering whole; Refs names exactly the functions the built body names, and Calls at
// least each call site it has; a released
// body builds again the same; and linking on-demand inputs gives the module that linking
// whole ones gives. It runs over the large Go module and the spec suite's modules.
func TestLowerLazy(t *testing.T) {
	m, _ := loadLarge(t)
	checkLazy(t, "gobig", m)
	if testing.Short() {
		return
	}
	for _, file := range specFiles(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := wat.ParseScript(filepath.Base(file), src)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range sc.Commands {
			if cmd.Module == nil || cmd.Kind == wat.CmdAssertMalformed || cmd.Kind == wat.CmdAssertInvalid {
				continue
			}
			fm, err := cmd.Module.Load()
			if err != nil || frontend.Validate(fm) != nil {
				continue
			}
			checkLazy(t, sc.File+":"+strconv.Itoa(cmd.Line), fm)
		}
	}
}

func checkLazy(t *testing.T, where string, fm *frontend.Module) {
	t.Helper()
	whole, err := frontend.Lower(fm)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	lazy, err := frontend.LowerLazy(fm)
	if err != nil {
		t.Fatalf("%s: LowerLazy: %v", where, err)
	}
	if len(lazy.Funcs) != len(whole.Funcs) {
		t.Fatalf("%s: %d functions on demand, %d whole", where, len(lazy.Funcs), len(whole.Funcs))
	}
	defined := 0
	for i, f := range lazy.Funcs {
		w := whole.Funcs[i]
		if f.IsImport() != w.IsImport() || f.Name != w.Name {
			t.Fatalf("%s: function %d is $%s (import %v), want $%s (import %v)", where, i, f.Name, f.IsImport(), w.Name, w.IsImport())
		}
		if f.IsImport() {
			continue
		}
		if !f.Lazy() {
			t.Fatalf("%s: $%s has a body before it is loaded", where, f.Name)
		}
		if got, want := f.SourceSize(), len(fm.Codes[defined].Body); got != want {
			t.Fatalf("%s: $%s: SourceSize %d, want its code's %d bytes", where, f.Name, got, want)
		}
		defined++
		var refs, calls []uint32
		if err := f.Refs(func(i uint32) { refs = append(refs, i) }); err != nil {
			t.Fatalf("%s: $%s: Refs: %v", where, f.Name, err)
		}
		if _, err := f.Calls(func(i uint32) { calls = append(calls, i) }); err != nil {
			t.Fatalf("%s: $%s: Calls: %v", where, f.Name, err)
		}
		if err := f.Load(); err != nil {
			t.Fatalf("%s: $%s: Load: %v", where, f.Name, err)
		}
		got, want := f.String(), w.String()
		if got != want {
			t.Fatalf("%s: $%s built on demand differs:\n%s", where, f.Name, cmp.Diff(want, got))
		}
		var built []uint32
		if err := f.Refs(func(i uint32) { built = append(built, i) }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(refs)
		slices.Sort(built)
		// Lowering drops calls in unreachable code, so the wasm code may name more.
		for _, r := range built {
			if _, ok := slices.BinarySearch(refs, r); !ok {
				t.Fatalf("%s: $%s calls or references function %d, which Refs did not report", where, f.Name, r)
			}
		}
		// Calls reports each call site; again, lowering may have dropped some.
		count := map[uint32]int{}
		for _, c := range calls {
			count[c]++
		}
		if _, err := f.Calls(func(i uint32) { count[i]-- }); err != nil {
			t.Fatal(err)
		}
		for c, n := range count {
			if n < 0 {
				t.Fatalf("%s: $%s calls function %d at %d more sites than Calls reported", where, f.Name, c, -n)
			}
		}
		f.Release()
		if !f.Lazy() {
			t.Fatalf("%s: $%s keeps its body after Release", where, f.Name)
		}
		if err := f.Load(); err != nil || f.String() != want {
			t.Fatalf("%s: $%s built again differs (%v)", where, f.Name, err)
		}
		f.Release()
	}

	// Linking: each input's instantiation split off, as the driver does, then linked with
	// every function kept.
	link := func(m *ir.Module) *ir.Module {
		ir.SplitInit(m)
		out, err := ir.Link([]ir.LinkInput{{Module: m}}, ir.LinkConfig{Entries: []int{0}, KeepAll: true})
		if err != nil {
			t.Fatalf("%s: link: %v", where, err)
		}
		for _, f := range out.Funcs {
			if err := f.Load(); err != nil {
				t.Fatalf("%s: link: $%s: %v", where, f.Name, err)
			}
		}
		return out
	}
	lazy, _ = frontend.LowerLazy(fm)
	wl, ll := link(whole), link(lazy)
	if errs := ir.VerifyModule(ll); len(errs) > 0 {
		t.Fatalf("%s: linked on demand, the module does not verify: %v", where, errs[0])
	}
	for i, f := range ll.Funcs {
		if got, want := f.String(), wl.Funcs[i].String(); got != want {
			t.Fatalf("%s: linked $%s built on demand differs:\n%s", where, f.Name, cmp.Diff(want, got))
		}
	}
}

// TestLowerLazyConcurrent builds the bodies of the large Go module's functions, directly
// and through a link, each many times at once into Funcs of its own, as the inliner does
// while the function itself is being compiled (ir.BodySource): every copy is the body
// built alone. Under the race detector it also shows that building writes nothing shared.
func TestLowerLazyConcurrent(t *testing.T) {
	fm, _ := loadLarge(t)
	lazy, err := frontend.LowerLazy(fm)
	if err != nil {
		t.Fatal(err)
	}
	linked, err := ir.Link([]ir.LinkInput{{Module: lazy}}, ir.LinkConfig{Entries: []int{0}, KeepAll: true})
	if err != nil {
		t.Fatal(err)
	}
	const copies = 4
	for _, m := range []*ir.Module{lazy, linked} {
		var funcs []*ir.Func
		for _, f := range m.Funcs {
			if f.Source != nil && len(funcs) < 300 {
				funcs = append(funcs, f)
			}
		}
		got := make([][copies]string, len(funcs))
		var wg sync.WaitGroup
		for c := range copies {
			wg.Go(func() {
				for i, f := range funcs {
					h := &ir.Func{Name: f.Name, Sig: f.Sig, Module: f.Module, Source: f.Source}
					if err := h.Load(); err != nil {
						t.Errorf("$%s: %v", f.Name, err)
						return
					}
					got[i][c] = h.String()
				}
			})
		}
		wg.Wait()
		for i, f := range funcs {
			if err := f.Load(); err != nil {
				t.Fatal(err)
			}
			want := f.String()
			f.Release()
			for c := range copies {
				if got[i][c] != want {
					t.Fatalf("$%s: copy %d differs:\n%s", f.Name, c, cmp.Diff(want, got[i][c]))
				}
			}
		}
	}
}
