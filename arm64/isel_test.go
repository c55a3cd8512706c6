package arm64

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

// TestISel runs each testdata/isel/*.txtar case: the comment says why the case exists,
// in.ir is a module, isel.want its functions after instruction selection (virtual registers)
// and final.want after register allocation and Finish (physical registers, prologue,
// epilogues). Two checkpoints tell whether a failure is selection's or allocation's. Every
// allocation also passes regalloc.Check and the code decodes with arm64asm (compileModule).
func TestISel(t *testing.T) {
	paths, err := filepath.Glob("testdata/isel/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no filetests: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(a.Comment)) == "" {
				t.Fatal("the comment does not say why the case exists")
			}
			m := parseModule(t, section(t, a, "in.ir"))
			var isel, final strings.Builder
			for i, c := range compileModule(t, m) {
				if i > 0 {
					isel.WriteByte('\n')
					final.WriteByte('\n')
				}
				isel.WriteString(c.isel)
				final.WriteString(c.final)
			}
			checkSection(t, path, a, "isel.want", isel.String())
			checkSection(t, path, a, "final.want", final.String())
		})
	}
}

func section(t *testing.T, a *txtar.Archive, name string) string {
	t.Helper()
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("missing section %s", name)
	return ""
}

// checkSection compares got with the archive's section name; under -update it rewrites the
// section (adding it if missing) and the file.
func checkSection(t *testing.T, path string, a *txtar.Archive, name, got string) {
	t.Helper()
	if *update {
		found := false
		for i := range a.Files {
			if a.Files[i].Name == name {
				a.Files[i].Data = []byte(got)
				found = true
			}
		}
		if !found {
			a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(got)})
		}
		if err := os.WriteFile(path, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	var want string
	for _, f := range a.Files {
		if f.Name == name {
			want = string(f.Data)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: %s mismatch (-want +got):\n%s\nhint: go test ./arm64 -run TestISel -update", path, name, diff)
	}
}
