package runexe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/wasmc/wasmc/internal/machorun"
)

// darwin executables run here through internal/machorun's loader (DESIGN.md decision 15):
// no Mac is at hand, so a loader does dyld's work and binds libSystem to a shim.

// ForOS returns the runner of goos/goarch executables on this host: [For]'s for linux,
// and for darwin the machorun loader of goarch, built with gcc into dir the first time (a
// loader already built there is reused, so a directory serves many executables) and run
// under qemu when goarch is not the host's. The error wraps machorun's when the loader
// cannot be built (exec.ErrNotFound without gcc or the cross gcc, errors.ErrUnsupported
// on a host other than Linux) and is a [*MissingError] without qemu.
func ForOS(goos, goarch, dir string) (*Runner, error) {
	switch goos {
	case "linux":
		return For(goarch)
	case "darwin":
	default:
		return nil, fmt.Errorf("cannot run %s/%s executables", goos, goarch)
	}
	if _, ok := emulators[goarch]; !ok {
		return nil, fmt.Errorf("cannot run darwin/%s executables: wasmc targets only %s", goarch, strings.Join(arches(), " and "))
	}
	// The emulator first: without it the loader need not be built.
	r, err := For(goarch)
	if err != nil {
		return nil, err
	}
	if r.Loader, err = buildLoader(dir, goarch); err != nil {
		return nil, err
	}
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
