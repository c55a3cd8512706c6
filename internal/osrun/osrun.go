// Package osrun runs executables of any target OS and architecture on this host: Linux
// ones through internal/runexe (natively or under qemu), darwin ones through
// internal/machorun's loader (DESIGN.md decision 15: no Mac is at hand, so a loader does
// dyld's work and binds libSystem to a shim), itself under qemu for the other
// architecture. It sits above both because machorun runs its arm64 loader with runexe.
package osrun

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/wasmc/wasmc/internal/machorun"
	"github.com/wasmc/wasmc/internal/runexe"
)

// For returns the runner of goos/goarch executables on this host: [runexe.For]'s for
// linux, and for darwin the machorun loader of goarch, built with gcc into dir the first
// time (a loader already built there is reused, so a directory serves many executables)
// and run under qemu when goarch is not the host's. The error wraps machorun's when the
// loader cannot be built (exec.ErrNotFound without gcc, errors.ErrUnsupported on a host
// other than Linux) and is runexe's when qemu is missing.
func For(goos, goarch, dir string) (*runexe.Runner, error) {
	switch goos {
	case "linux":
		return runexe.For(goarch)
	case "darwin":
	default:
		return nil, fmt.Errorf("cannot run %s/%s executables", goos, goarch)
	}
	if runexe.Emulator(goarch) == "" {
		return nil, fmt.Errorf("cannot run darwin/%s executables: wasmc targets only amd64 and arm64", goarch)
	}
	// The emulator first: without it the loader need not be built.
	r, err := runexe.For(goarch)
	if err != nil {
		return nil, err
	}
	loader, err := buildLoader(dir, goarch)
	if err != nil {
		return nil, err
	}
	r.Loader = loader
	return r, nil
}

// loaders are the loaders built by this process, by directory and architecture.
var loaders sync.Map // [2]string{dir, goarch} → *loaderBuild

type loaderBuild struct {
	once sync.Once
	path string
	err  error
}

func buildLoader(dir, goarch string) (string, error) {
	v, _ := loaders.LoadOrStore([2]string{dir, goarch}, &loaderBuild{})
	b := v.(*loaderBuild)
	b.once.Do(func() {
		sub := filepath.Join(dir, "machorun")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.err = err
			return
		}
		b.path, b.err = machorun.BuildArch(sub, goarch)
	})
	return b.path, b.err
}
