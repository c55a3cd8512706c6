package regalloc

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden allocates each testdata/*.txtar "in" function, checks the allocation with Check,
// and compares its text with "want".
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, cfg, f := goldenFile(t, file)
			want := section(ar, "want")
			var got string
			r, err := runChecked(f, cfg)
			if err != nil {
				got = "error: " + err.Error() + "\n"
			} else {
				if err := Check(f, cfg, r); err != nil {
					t.Errorf("Check:\n%v\n%s", err, f.format(cfg, r))
				}
				got = f.format(cfg, r)
				r2, _ := Run(f, cfg)
				if again := f.format(cfg, r2); again != got {
					t.Errorf("second run differs:\n%s", cmp.Diff(got, again))
				}
			}
			if want != nil && string(want.Data) == got {
				return
			}
			if *update {
				if want == nil {
					ar.Files = append(ar.Files, txtar.File{Name: "want"})
					want = &ar.Files[len(ar.Files)-1]
				}
				want.Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var old string
			if want != nil {
				old = string(want.Data)
			}
			t.Errorf("allocation differs (-want +got):\n%s\nrun: go test ./regalloc -run TestGolden -update", cmp.Diff(strings.Split(old, "\n"), strings.Split(got, "\n")))
		})
	}
}

func section(ar *txtar.Archive, name string) *txtar.File {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			return &ar.Files[i]
		}
	}
	return nil
}
