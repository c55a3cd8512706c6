package runexe

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/wasmc/wasmc/internal/machorun"
)

// darwin executables run here through internal/machorun's loader (DESIGN.md decision 15):
// no Mac is at hand, so a loader does dyld's work and binds libSystem to a shim.

// ForOS returns the runner of goos/goarch executables on this host: [For]'s for linux,
// and for darwin the machorun loader, built with gcc into dir the first time (a loader
// already built there is reused, so a directory serves many executables). Only
// darwin/amd64 on a linux/amd64 host runs so far; the error wraps machorun's otherwise
// (exec.ErrNotFound without gcc, errors.ErrUnsupported on another host).
func ForOS(goos, goarch, dir string) (*Runner, error) {
	switch goos {
	case "linux":
		return For(goarch)
	case "darwin":
	default:
		return nil, fmt.Errorf("cannot run %s/%s executables", goos, goarch)
	}
	if goarch != "amd64" {
		return nil, fmt.Errorf("cannot run darwin/%s executables on this host yet (only darwin/amd64 through the loader)", goarch)
	}
	loader, err := buildLoader(dir)
	if err != nil {
		return nil, err
	}
	return &Runner{GOARCH: goarch, Loader: loader}, nil
}

// loaders are the loaders built by this process, by directory.
var loaders sync.Map // dir → *loaderBuild

type loaderBuild struct {
	once sync.Once
	path string
	err  error
}

func buildLoader(dir string) (string, error) {
	v, _ := loaders.LoadOrStore(dir, &loaderBuild{})
	b := v.(*loaderBuild)
	b.once.Do(func() {
		sub := filepath.Join(dir, "machorun")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			b.err = err
			return
		}
		b.path, b.err = machorun.Build(sub)
	})
	return b.path, b.err
}
