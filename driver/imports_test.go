package driver

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestImportBoundaries holds DESIGN.md's package table over the whole module: only the
// CLI's table of targets (internal/targets, shared with the tests) names an ISA package
// (amd64, arm64), as Go's cmd/compile maps GOARCH to an arch package; driver, wast and
// the test-support packages import only their rows; nothing imports cmd. Tests stand
// above the table and may import anything. (backend/imports_test.go holds the rows below
// driver.)
func TestImportBoundaries(t *testing.T) {
	const mod = "github.com/wasmc/wasmc/"
	isISA := func(p string) bool { return p == "amd64" || p == "arm64" }
	only := map[string][]string{
		"driver": {"frontend", "frontend/wat", "rtlib", "ir", "backend"},
		"wast":   {"driver", "frontend", "frontend/wat", "ir", "internal/runexe"},
		// Running executables needs nothing of ours but the darwin loader; the table
		// needs only the ISAs.
		"internal/runexe":     {"internal/machorun"},
		"internal/machorun":   {},
		"internal/targets":    {"backend", "amd64", "arm64"},
		"internal/targettest": {"backend", "internal/targets", "internal/runexe"},
	}
	seen := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// bench is a module of its own; testdata and _gen are not packages of this one.
			if path != ".." && (name == "testdata" || name == "bench" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel("..", filepath.Dir(path))
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(rel)
		seen[pkg] = true
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			ours, ok := strings.CutPrefix(p, mod)
			if !ok {
				continue
			}
			switch {
			case isISA(ours) && pkg != "internal/targets":
				t.Errorf("%s imports %s: only the CLI's table of targets may name an ISA", path, p)
			case strings.HasPrefix(ours, "cmd/"):
				t.Errorf("%s imports %s: nothing imports a command", path, p)
			case only[pkg] != nil && !slices.Contains(only[pkg], ours):
				t.Errorf("%s imports %s: %s imports only %s", path, p, pkg, strings.Join(only[pkg], ", "))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"cmd/wasmc", "driver", "wast", "amd64", "backend", "internal/targets", "internal/runexe", "internal/targettest", "internal/machorun"} {
		if !seen[pkg] {
			t.Errorf("the walk found no package %s", pkg)
		}
	}
}
