package ir

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// TestEveryIRTextRoundTrips holds every IR text of the repository's tests to the
// promise of the text form: the .ir files and the .ir sections of txtar files, here and in
// the frontend's lowering tests. Whatever parses must print, parse and print again to the
// same text; and a golden output (a want.ir section), which the printer wrote, must be
// exactly its own printing. Every text must parse; only testdata/syntax, which holds
// malformed text on purpose, is left out.
func TestEveryIRTextRoundTrips(t *testing.T) {
	n := 0
	for _, root := range []string{"testdata", filepath.Join("..", "frontend", "testdata", "lower")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "syntax" {
					return filepath.SkipDir
				}
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			switch filepath.Ext(path) {
			case ".ir":
				n++
				checkRoundTrip(t, path, string(data), false)
			case ".txtar":
				for _, f := range txtar.Parse(data).Files {
					if strings.HasSuffix(f.Name, ".ir") {
						n++
						checkRoundTrip(t, path+":"+f.Name, string(f.Data), f.Name == "want.ir")
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 100 {
		t.Errorf("only %d IR texts found", n)
	}
	t.Logf("%d IR texts round-trip", n)
}

func checkRoundTrip(t *testing.T, name, src string, golden bool) {
	t.Helper()
	m, err := Parse(src)
	if err != nil {
		t.Errorf("%s: does not parse: %v", name, err)
		return
	}
	once := m.String()
	m2, err := Parse(once)
	if err != nil {
		t.Errorf("%s: printed text does not parse: %v", name, err)
		return
	}
	if diff := cmp.Diff(once, m2.String()); diff != "" {
		t.Errorf("%s: print(parse(print(parse(x)))) differs (-once +twice):\n%s", name, diff)
	}
	if golden && once != src {
		t.Errorf("%s: golden output is not canonical (-file +printed):\n%s", name, cmp.Diff(src, once))
	}
}
