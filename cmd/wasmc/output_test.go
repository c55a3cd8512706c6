package main

import (
	"bytes"
	"os"
	"os/exec"
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

// TestBuildOutputReplaces: -o over an executable that is running replaces it, where
// rewriting it in place fails with ETXTBSY; -o naming a symlink writes the file it points
// to and leaves the link; a new output has mode 0755 less the umask.
func TestBuildOutputReplaces(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep to run")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "m.wat")
	if err := os.WriteFile(src, []byte(`(module (func (export "_start")))`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, stderr, code := runCLI(t, "build", src, "-o", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o755&^umask(t) {
		t.Errorf("new output: %v, %v; want mode %v", fi.Mode(), err, 0o755&^umask(t))
	}

	running, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, running, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(out, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if _, stderr, code := runCLI(t, "build", src, "-o", out); code != 0 {
		t.Errorf("build over a running executable: %s", stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Error("build over a running executable left other bytes")
	}

	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link")
	if err := os.WriteFile(target, nil, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "build", src, "-o", link); code != 0 {
		t.Fatalf("build -o symlink: %s", stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("build -o symlink replaced the link: %v", err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, want) {
		t.Error("build -o symlink did not write the file it points to")
	}
}
