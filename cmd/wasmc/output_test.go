package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildOutputIsInput: -o naming the input module, by the same path or another (a
// symlink, a hard link, a different spelling), is refused in one line and the module is
// left as it was.
func TestBuildOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "m.wat")
	module := []byte(`(module (func (export "_start")))`)
	if err := os.WriteFile(src, module, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.wat")
	if err := os.Symlink(src, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard")
	if err := os.Link(src, hard); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{src, link, hard, dir + "/./sub/../m.wat"} {
		_, stderr, code := runCLI(t, "build", src, "-o", out)
		if code != 1 || !strings.Contains(stderr, "is the input module") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("build %s -o %s: exit %d, stderr %q; want 1 and one line", src, out, code, stderr)
		}
		if got, _ := os.ReadFile(src); !bytes.Equal(got, module) {
			t.Fatalf("build -o %s overwrote the module", out)
		}
	}
}
