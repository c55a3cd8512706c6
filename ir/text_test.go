package ir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// TestRoundTrip parses every .ir file, prints it, parses and prints again: the two
// printings must be equal, the module must verify, and a canonical file (testdata/*.ir)
// must equal its printing after a header of ';' comment lines saying why the file
// exists. Files under testdata/noncanonical exercise what the parser accepts beyond the
// canonical form.
func TestRoundTrip(t *testing.T) {
	canonical := glob(t, "testdata/*.ir")
	files := append(canonical, glob(t, "testdata/noncanonical/*.ir")...)
	for i, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src := readFile(t, path)
			m, err := Parse(src)
			if err != nil {
				t.Fatalf("%s:%v", path, err)
			}
			if errs := VerifyModule(m); len(errs) > 0 {
				t.Errorf("%s does not verify:\n%s", path, errorLines(errs))
			}
			once := m.String()
			m2, err := Parse(once)
			if err != nil {
				t.Fatalf("reparsing the printed %s: %v\n%s", path, err, once)
			}
			if diff := cmp.Diff(once, m2.String()); diff != "" {
				t.Errorf("print(parse(print(parse(x)))) differs from print(parse(x)) (-once +twice):\n%s", diff)
			}
			if i < len(canonical) {
				checkFile(t, path, commentHeader(src)+once)
			} else if once == src {
				t.Errorf("%s is canonical; move it to testdata", path)
			}
		})
	}
}

// TestDocExample keeps the example in the package doc canonical and valid.
func TestDocExample(t *testing.T) {
	doc := readFile(t, "doc.go")
	_, after, ok := strings.Cut(doc, "For example:\n//\n")
	if !ok {
		t.Fatal("doc.go has no example")
	}
	var example strings.Builder
	for _, line := range strings.Split(after, "\n") {
		text, ok := strings.CutPrefix(line, "//\t")
		if !ok {
			break
		}
		example.WriteString(text + "\n")
	}
	m, err := Parse(example.String())
	if err != nil {
		t.Fatalf("doc example:%v", err)
	}
	if errs := VerifyModule(m); len(errs) > 0 {
		t.Errorf("doc example does not verify:\n%s", errorLines(errs))
	}
	if diff := cmp.Diff(example.String(), m.String()); diff != "" {
		t.Errorf("doc example is not canonical (-doc +printed):\n%s", diff)
	}
}

// commentHeader returns the leading ';' lines of src and the blank line after them.
func commentHeader(src string) string {
	n := 0
	for strings.HasPrefix(src[n:], ";") {
		end := strings.IndexByte(src[n:], '\n')
		if end < 0 {
			return src
		}
		n += end + 1
	}
	if n > 0 && strings.HasPrefix(src[n:], "\n") {
		n++
	}
	return src[:n]
}

// TestSyntaxErrors parses each testdata/syntax case, which must fail with the error in
// want.error (line:col: msg) as a *SyntaxError.
func TestSyntaxErrors(t *testing.T) {
	for _, path := range glob(t, "testdata/syntax/*.txtar") {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(section(t, a, "in.ir"))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error = %v (%T), want a *SyntaxError", err, err)
			}
			checkSection(t, path, a, "want.error", err.Error()+"\n")
		})
	}
}

// FuzzIRParse checks that Parse never panics and returns only *SyntaxError, that what
// it accepts round-trips, and that the verifier does not panic on it either.
func FuzzIRParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.ir", "testdata/*/*.ir", "testdata/*/*.txtar"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			if !strings.HasSuffix(path, ".txtar") {
				f.Add(string(b))
				continue
			}
			for _, file := range txtar.Parse(b).Files {
				if strings.HasSuffix(file.Name, ".ir") {
					f.Add(string(file.Data))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, err := parse(src, 1<<12) // small functions only: v1000000 would cost time, not coverage
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error %v is a %T, want *SyntaxError", err, err)
			}
			return
		}
		VerifyModule(m)
		once := m.String()
		m2, err := parse(once, 1<<12)
		if err != nil {
			t.Fatalf("reparsing printed text: %v\n%s", err, once)
		}
		if twice := m2.String(); once != twice {
			t.Fatalf("round trip differs:\n%s", cmp.Diff(once, twice))
		}
	})
}
