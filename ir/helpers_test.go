package ir

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

// glob returns the files matching pattern, failing the test if there are none.
func glob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s (%v)", pattern, err)
	}
	return files
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the named file of a txtar archive, failing the test if it is missing.
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

// checkSection compares got with the archive's section name; under -update it rewrites
// the section (adding it if missing) and the archive file at path.
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
	want := section(t, a, name)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: %s mismatch (-want +got):\n%s\nrun go test ./ir -run %s -update to accept", path, name, diff, testName(t))
	}
}

// checkFile compares got with the file at path; under -update it rewrites the file.
func checkFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(readFile(t, path), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s\nrun go test ./ir -run %s -update to accept", path, diff, testName(t))
	}
}

func testName(t *testing.T) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}

func errorLines(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}
