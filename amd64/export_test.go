package amd64

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/ir"
)

// RunNativeModule exposes the package's test runtime (link_test.go) to the external test
// package, which may import the frontend: it compiles m (with regalloc.RunFast if fast),
// links an executable whose _start calls export (no arguments), runs it and returns the
// results, or the trap code that RtTrap reported. Unlike linkProgram it returns compile,
// link and crash errors instead of failing t, so that a differential test can file them
// with the seed that caused them.
func RunNativeModule(t testing.TB, m *ir.Module, export string, fast bool) (results []ir.Val, trap ir.TrapCode, err error) {
	entry := -1
	for _, e := range m.Exports {
		if e.Name == export && e.Kind == ir.ExternFunc {
			entry = int(e.Index)
		}
	}
	if entry < 0 {
		return nil, 0, fmt.Errorf("no exported function %q", export)
	}
	p, err := backend.Compile(m, New(), backend.Config{Check: true, FastRegalloc: fast})
	if err != nil {
		return nil, 0, fmt.Errorf("compile: %w", err)
	}
	img, err := backend.Link(p, backend.Target{Arch: backend.ArchAMD64, OS: backend.OSLinux}, testRuntime(t, m, uint32(entry), nil))
	if err != nil {
		return nil, 0, fmt.Errorf("link: %w", err)
	}
	exe, err := backend.Write(img)
	if err != nil {
		return nil, 0, fmt.Errorf("write: %w", err)
	}
	dir, err := os.MkdirTemp("", "wasmc-diff-")
	if err != nil {
		return nil, 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "prog")
	if err := os.WriteFile(path, exe, 0o755); err != nil {
		return nil, 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err = cmd.Run()
	out := stdout.Bytes()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() == 134 && len(out) == 1:
		return nil, ir.TrapCode(out[0] - 'A'), nil
	default:
		return nil, 0, fmt.Errorf("run: %v (stdout % x)", err, out)
	}
	sig := m.Funcs[entry].Sig
	if len(out) != 8*len(sig.Results) {
		return nil, 0, fmt.Errorf("%d bytes of results for %d results", len(out), len(sig.Results))
	}
	for i, rt := range sig.Results {
		bits := binary.LittleEndian.Uint64(out[8*i:])
		if rt == ir.F32 { // an xmm register's upper half is not part of an f32
			bits = uint64(uint32(bits))
		}
		results = append(results, ir.Val{Type: rt, Bits: bits})
	}
	return results, ir.TrapNone, nil
}

// NativeOK reports whether this machine runs the executables the test runtime builds.
func NativeOK() bool { return runtime.GOOS == "linux" && runtime.GOARCH == "amd64" }
