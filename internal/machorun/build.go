package machorun

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

//go:embed c/*.c c/*.h
var sources embed.FS

// ExitLoadFailed is the loader's exit status when it cannot run a file: it is not an
// x86_64 Mach-O executable, is malformed, or binds a symbol the shim lacks. It then prints
// one line, "machorun: FILE: why", on stderr.
const ExitLoadFailed = 125

// gccFlags build a static loader (so that its own addresses never collide with a
// Mach-O's and nothing depends on the host's shared libraries), warning-free.
var gccFlags = []string{"-static", "-O1", "-std=c11", "-Wall", "-Wextra", "-Werror"}

// Build compiles the loader into dir with the host's gcc and returns its path. The error
// wraps exec.ErrNotFound when gcc is not installed, and errors.ErrUnsupported on a host
// other than linux/amd64: the shim hands darwin/amd64 code's arguments to the host's libc,
// which is right only where the two ABIs agree. Tests skip on either, except that under
// CI=true a missing gcc fails.
func Build(dir string) (string, error) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return "", fmt.Errorf("machorun: the loader runs darwin/amd64 executables on linux/amd64 only, not on %s/%s: %w",
			runtime.GOOS, runtime.GOARCH, errors.ErrUnsupported)
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", fmt.Errorf("machorun: building the loader needs gcc: %w", err)
	}
	entries, err := sources.ReadDir("c")
	if err != nil {
		return "", err
	}
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	args := append([]string(nil), gccFlags...)
	for _, e := range entries {
		b, err := sources.ReadFile("c/" + e.Name())
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(src, e.Name()), b, 0o644); err != nil {
			return "", err
		}
		if strings.HasSuffix(e.Name(), ".c") {
			args = append(args, filepath.Join(src, e.Name()))
		}
	}
	out := filepath.Join(dir, "machorun")
	if msg, err := exec.Command(gcc, append(args, "-o", out)...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("machorun: gcc: %v\n%s", err, msg)
	}
	return out, nil
}

// Command returns the command that runs the Mach-O executable exe with args through the
// loader at path loader (from [Build]). The program sees exe as argv[0], and the
// command's exit status is main's return value or exit's argument, as on macOS.
func Command(loader, exe string, args ...string) *exec.Cmd {
	return exec.Command(loader, append([]string{exe}, args...)...)
}
