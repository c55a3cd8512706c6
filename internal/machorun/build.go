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

// ExitLoadFailed is the loader's exit status when it cannot run a file: it is not a Mach-O
// executable of the loader's architecture, is malformed, or binds a symbol the shim lacks.
// It then prints one line, "machorun: FILE: why", on stderr.
const ExitLoadFailed = 125

// gccFlags build a static loader (so that its own addresses never collide with a
// Mach-O's and nothing depends on the host's shared libraries), warning-free.
var gccFlags = []string{"-static", "-O1", "-std=c11", "-Wall", "-Wextra", "-Werror"}

// crossCompilers are the gcc that builds a Linux program for each architecture on a host
// of another, as Debian's gcc-x86-64-linux-gnu and gcc-aarch64-linux-gnu install them.
var crossCompilers = map[string]string{"amd64": "x86_64-linux-gnu-gcc", "arm64": "aarch64-linux-gnu-gcc"}

// Compiler returns the gcc that builds the loader of darwin/goarch executables on this
// host: gcc itself for the host's architecture, a cross gcc for the other. The error wraps
// exec.ErrNotFound when it is not installed, and errors.ErrUnsupported on a host other
// than Linux or for an architecture other than amd64 and arm64.
func Compiler(goarch string) (string, error) {
	cross, ok := crossCompilers[goarch]
	if runtime.GOOS != "linux" || !ok {
		return "", fmt.Errorf("machorun: the loader runs darwin/amd64 and darwin/arm64 executables on Linux, not darwin/%s on %s/%s: %w",
			goarch, runtime.GOOS, runtime.GOARCH, errors.ErrUnsupported)
	}
	name := "gcc"
	if goarch != runtime.GOARCH {
		name = cross
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("machorun: building the loader for %s needs %s: %w", goarch, name, err)
	}
	return path, nil
}

// Build compiles the loader of darwin/amd64 executables into dir with the host's gcc and
// returns its path: [BuildArch] for amd64.
func Build(dir string) (string, error) { return BuildArch(dir, "amd64") }

// BuildArch compiles the loader of darwin/goarch executables into dir with [Compiler]'s
// gcc and returns its path; the loader is a static linux/goarch executable, which
// runexe runs under qemu on a host of the other architecture. The error is
// Compiler's when there is no gcc to build it.
func BuildArch(dir, goarch string) (string, error) {
	gcc, err := Compiler(goarch)
	if err != nil {
		return "", err
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
	out := filepath.Join(dir, "machorun-"+goarch)
	if msg, err := exec.Command(gcc, append(args, "-o", out)...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("machorun: %s: %v\n%s", filepath.Base(gcc), err, msg)
	}
	return out, nil
}

// Command returns the command that runs the darwin/amd64 Mach-O executable exe with args
// through the loader at path loader (from [Build]) on an amd64 host. The program sees exe
// as argv[0], and the command's exit status is main's return value or exit's argument, as
// on macOS.
func Command(loader, exe string, args ...string) *exec.Cmd {
	return exec.Command(loader, append([]string{exe}, args...)...)
}
