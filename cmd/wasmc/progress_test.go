package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the progress goroutine and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressReport: after its delay the report rewrites one line with the phase and the
// functions compiled of the total, and clears it at the end.
func TestProgressReport(t *testing.T) {
	var w syncBuffer
	p := newProgress(&w, 10*time.Millisecond, 10*time.Millisecond)
	p.update("load", 0, 0)
	p.update("codegen", 3, 10)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(w.String(), "codegen") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.end()
	out := w.String()
	if !strings.HasPrefix(out, "\r\x1b[Kwasmc: codegen 3/10 functions (30%)") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("report %q", out)
	}
	// A build shorter than the delay prints nothing.
	var quick syncBuffer
	p = newProgress(&quick, time.Hour, time.Hour)
	p.update("codegen", 1, 2)
	p.end()
	if quick.String() != "" {
		t.Errorf("a quick build printed %q", quick.String())
	}
}

// TestProgressOnlyOnTerminal: no report to what is not a terminal (a buffer, a file,
// /dev/null), nor with -q; build and run take -q.
func TestProgressOnlyOnTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if startProgress(&bytes.Buffer{}, false) != nil || startProgress(f, false) != nil || startProgress(null, false) != nil {
		t.Errorf("a report started on something that is not a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if p := startProgress(tty, true); p != nil {
			t.Errorf("-q: a report started")
		}
	}
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	_, stderr, code := runCLI(t, "build", "-q", "--invoke", "fac_iter", src, "-o", filepath.Join(t.TempDir(), "x"))
	if code != 0 || stderr != "" {
		t.Errorf("build -q: exit %d, stderr %q", code, stderr)
	}
}
