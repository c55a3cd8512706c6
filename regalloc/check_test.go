package regalloc

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestCheckDropEdit removes each edit, in turn, from the allocations of the golden tests:
// every edit the allocator makes is needed, so Check must reject each damaged allocation.
func TestCheckDropEdit(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	total := 0
	for _, file := range files {
		f, cfg, r := allocFile(t, file)
		if r == nil {
			continue
		}
		for j := range r.Edits {
			damaged := *r
			damaged.Edits = slices.Delete(slices.Clone(r.Edits), j, j+1)
			if Check(f, cfg, &damaged) == nil {
				t.Errorf("%s: Check accepts the allocation without edit %d (%v)", file, j, r.Edits[j])
			}
			total++
		}
	}
	if total < 20 {
		t.Errorf("only %d edits dropped", total)
	}
}

// TestCheckDamage changes allocations by hand and requires the named problem to be found.
func TestCheckDamage(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		damage     func(r *Result)
		want       string
	}{
		{"use reads another register", "straight_line", func(r *Result) { r.allocs[r.opStart[2]] = RegLoc(1) }, "use of %0 reads r1, which holds %1"},
		{"def in another register than its reused use", "reuse_two_address", func(r *Result) { r.allocs[r.opStart[3]+2] = RegLoc(0) }, "not r2 like the use it reuses"},
		{"fixed use in the wrong register", "shift_count", func(r *Result) { r.allocs[r.opStart[4]+1] = RegLoc(1) }, "fixed use of r2 allocated r1"},
		{"value in a clobbered register across a call", "call_clobbers", func(r *Result) {
			// %2 lives across the call in callee-saved r3; move it to caller-saved r2.
			for i := range r.allocs {
				if r.allocs[i] == RegLoc(3) {
					r.allocs[i] = RegLoc(2)
				}
			}
		}, "use of %2 reads r2, which holds nothing"},
		{"fixed register overwritten by an edit", "shift_count", func(r *Result) {
			r.Edits = append(r.Edits, Edit{Before: 4, From: RegLoc(0), To: RegLoc(2), VReg: 2})
			r.UsedRegs = r.UsedRegs.Add(2)
		}, "fixed use of r2, which holds %2"},
		{"register missing from UsedRegs", "straight_line", func(r *Result) { r.UsedRegs = RegSetOf(0) }, "missing from UsedRegs"},
		{"slot read by a non-copy", "pressure_spill", func(r *Result) { r.allocs[r.opStart[4]] = SlotLoc(2) }, "use of %3 allocated s2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cfg, r := allocFile(t, filepath.Join("testdata", tc.file+".txtar"))
			r.allocs = slices.Clone(r.allocs)
			tc.damage(r)
			err := Check(f, cfg, r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v, want an error containing %q\n%s", err, tc.want, f.format(cfg, r))
			}
		})
	}
}

// allocFile parses and allocates a test file; r is nil if allocation fails.
func allocFile(t *testing.T, file string) (*testFunc, *Config, *Result) {
	t.Helper()
	_, cfg, f := goldenFile(t, file)
	r, _ := Run(f, cfg)
	return f, cfg, r
}

// goldenFile parses a testdata/*.txtar file: the archive, the Config its comment gives
// and its "in" function.
func goldenFile(t *testing.T, file string) (*txtar.Archive, *Config, *testFunc) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig(string(ar.Comment))
	if err != nil {
		t.Fatal(err)
	}
	in := section(ar, "in")
	if in == nil {
		t.Fatal("no in section")
	}
	f, err := parseFunc(string(in.Data))
	if err != nil {
		t.Fatal(err)
	}
	return ar, cfg, f
}
