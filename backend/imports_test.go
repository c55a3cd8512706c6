package backend

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportBoundaries keeps DESIGN.md's package table: backend and regalloc never name
// an ISA, regalloc imports nothing of ours, and neither ISA imports the other.
func TestImportBoundaries(t *testing.T) {
	const mod = "github.com/wasmc/wasmc/"
	forbidden := map[string][]string{
		".":           {"amd64", "arm64", "cmd/", "frontend"},
		"../regalloc": {""}, // nothing of ours
		"../amd64":    {"arm64", "cmd/", "frontend"},
		"../arm64":    {"amd64", "cmd/", "frontend"},
		"../ir":       {""},
		"../frontend": {"backend", "amd64", "arm64", "regalloc", "cmd/"},
		"../rtlib":    {"frontend", "backend", "amd64", "arm64", "regalloc", "cmd/"},
	}
	for dir, bad := range forbidden {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, file := range files {
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f.Name.Name, "_test") {
				continue // an external test package stands above the table, as cmd does
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				rest, ours := strings.CutPrefix(path, mod)
				if !ours {
					continue
				}
				for _, b := range bad {
					if strings.HasPrefix(rest, b) {
						t.Errorf("%s imports %s", file, path)
					}
				}
			}
		}
	}
}
