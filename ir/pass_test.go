package ir

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// passesByName are the passes a filetest may name.
var passesByName = map[string]func(*Func){
	"fold":        Fold,
	"copyprop":    CopyProp,
	"dce":         DCE,
	"simplifycfg": SimplifyCFG,
	"gvn":         GVN,
	"licm":        LICM,
	"bce":         BCE,
	"slp":         SLP,
	"rle":         RLE,
	"exitvalues":  ExitValues,
	"thread":      Thread,
	"promote":     Promote,
}

// passCase is one testdata/passes filetest: the passes to run, in order, and why the
// case exists.
type passCase struct {
	passes []string
	why    string
}

// parsePassCase reads the comment part of a pass filetest: a line "pass: a, b" and at
// least one line of prose saying why the case exists.
func parsePassCase(t *testing.T, comment string) passCase {
	t.Helper()
	var c passCase
	for _, line := range strings.Split(strings.TrimSpace(comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "pass:"); ok {
			for _, name := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }) {
				if passesByName[name] == nil {
					t.Fatalf("unknown pass %q", name)
				}
				c.passes = append(c.passes, name)
			}
			continue
		}
		c.why += line
	}
	if len(c.passes) == 0 {
		t.Fatal(`the comment has no "pass:" line`)
	}
	if strings.TrimSpace(c.why) == "" {
		t.Fatal("the comment does not say why the case exists")
	}
	return c
}

// runPasses runs the named passes over every defined function of m, verifying after
// each one.
func runPasses(t *testing.T, m *Module, names []string) {
	t.Helper()
	for _, f := range m.Funcs {
		if f.IsImport() {
			continue
		}
		for _, name := range names {
			if err := runPass(f, Pass{Name: name, Run: passesByName[name]}, Config{Verify: true, Dump: func(string, *Func) {}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		t.Fatalf("the module does not verify after %s:\n%s", strings.Join(names, ", "), errorLines(errs))
	}
}

// TestPasses runs each testdata/passes/<pass>/*.txtar case: it parses and verifies
// in.ir, runs the passes its comment names, verifies, prints and compares with want.ir
// (rewritten under -update). Running the passes a second time must change nothing: a
// pass that leaves work for its own next run has missed something.
func TestPasses(t *testing.T) {
	for _, path := range glob(t, "testdata/passes/*/*.txtar") {
		dir := filepath.Base(filepath.Dir(path))
		t.Run(dir+"/"+strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := parsePassCase(t, string(a.Comment))
			if !slices.Contains(c.passes, dir) {
				t.Fatalf("a case under %s/ must run %s (it runs %s)", dir, dir, strings.Join(c.passes, ", "))
			}
			m, err := Parse(section(t, a, "in.ir"))
			if err != nil {
				t.Fatalf("in.ir:%v", err)
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Fatalf("in.ir does not verify:\n%s", errorLines(errs))
			}
			runPasses(t, m, c.passes)
			got := m.String()
			checkSection(t, path, a, "want.ir", got)

			m2, err := Parse(got)
			if err != nil {
				t.Fatalf("reparsing the output: %v", err)
			}
			runPasses(t, m2, c.passes)
			if diff := cmp.Diff(got, m2.String()); diff != "" {
				t.Errorf("a second run of %s changed the output (-first +second):\n%s", strings.Join(c.passes, ", "), diff)
			}
		})
	}
}

// TestLoops checks the loop forest on shapes LICM depends on: nesting (inner loops
// listed first, with parent and depth), a self-loop, two back edges to one header, and
// an irreducible cycle, which is no loop.
func TestLoops(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"nested", `func $f(i32) {
b0(v0:i32):
    jump b1
b1:
    brif v0, b2, b5
b2:
    jump b3
b3:
    brif v0, b3, b4
b4:
    brif v0, b1, b5
b5:
    return
}
`, "b3 [b3] parent b1 depth 2\nb1 [b1 b2 b3 b4] parent - depth 1\n"},
		{"two_latches", `func $f(i32) {
b0(v0:i32):
    jump b1
b1:
    brif v0, b2, b3
b2:
    brif v0, b1, b4
b3:
    jump b1
b4:
    return
}
`, "b1 [b1 b3 b2] parent - depth 1\n"},
		{"irreducible", `func $f(i32) {
b0(v0:i32):
    brif v0, b1, b2
b1:
    brif v0, b2, b3
b2:
    brif v0, b1, b3
b3:
    return
}
`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			f := m.Funcs[0]
			lf := f.Loops()
			var b strings.Builder
			for _, l := range lf.Loops {
				parent := "-"
				if l.Parent >= 0 {
					parent = lf.Loops[l.Parent].Header.String()
				}
				names := make([]string, len(l.Blocks))
				for i, blk := range l.Blocks {
					names[i] = blk.String()
				}
				fmt.Fprintf(&b, "%v [%s] parent %s depth %d\n", l.Header, strings.Join(names, " "), parent, l.Depth)
			}
			if b.String() != c.want {
				t.Errorf("got:\n%swant:\n%s", b.String(), c.want)
			}
			if lf != f.Loops() {
				t.Error("Loops is not cached while the CFG is unchanged")
			}
			for _, l := range lf.Loops {
				for _, blk := range l.Blocks {
					if !f.Dom().Dominates(l.Header, blk) || lf.Depth(blk) < l.Depth {
						t.Errorf("%v in the loop of %v: not dominated, or depth %d < %d", blk, l.Header, lf.Depth(blk), l.Depth)
					}
				}
			}
		})
	}
}
