package machorun_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/internal/machorun"
	"github.com/wasmc/wasmc/internal/runexe"
)

// shimFunctions are the libSystem functions the shim must provide for the darwin runtime
// (issue 18), as the bind opcodes name them on each architecture: darwin/amd64's
// libSystem has the 64-bit-inode stat and directory functions under $INODE64 names.
func shimFunctions(goarch string) []string {
	inode64 := func(name string) string {
		if goarch == "amd64" {
			return name + "$INODE64"
		}
		return name
	}
	fns := []string{"___error", "_read", "_write", "_pread", "_pwrite", "_readv", "_writev", "_open",
		"_openat", "_close", "_lseek", inode64("_fstat"), inode64("_fstatat"), inode64("_fdopendir"),
		inode64("_readdir"), "_telldir", "_seekdir", "_rewinddir", "_closedir", "_dup", "_fcntl",
		"_mkdirat", "_unlinkat", "_renameat", "_symlinkat", "_readlinkat", "_linkat", "_futimens",
		"_utimensat", "_ftruncate", "_fsync", "_poll", "_clock_gettime", "_clock_getres", "_nanosleep",
		"_getentropy", "_mmap", "_munmap", "_mprotect", "_sigaction", "_sigaltstack", "_sigprocmask",
		"_getpid", "_kill", "_sched_yield", "_socket", "_bind", "_listen", "_accept", "_connect",
		"_setsockopt", "_getsockopt", "_getsockname", "_getpeername", "_shutdown", "_recvfrom",
		"_sendto", "_recvmsg", "_sendmsg"}
	return fns
}

// skipWithout skips a test whose tool is missing, except under CI=true, where it fails.
func skipWithout(t *testing.T, err error) {
	t.Helper()
	var missing *runexe.MissingError
	if errors.Is(err, errors.ErrUnsupported) ||
		(errors.Is(err, exec.ErrNotFound) || errors.As(err, &missing)) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	t.Fatal(err)
}

// TestShim builds testdata/shimtest.c with the shim for each architecture and runs it
// (under qemu for the other): it calls every function through shim_lookup with Darwin's
// constants and struct layouts and checks what Linux did and what came back. Each function
// must report "ok"; the checks are chosen to fail without the shim's translation (Darwin's
// O_CREAT, AT_FDCWD, AT_* flags, poll bits, clock ids, signal numbers, sockaddr layout,
// SOL_SOCKET and SO_*, MSG_* flags and errno numbers differ from Linux's).
func TestShim(t *testing.T) {
	for _, goarch := range []string{"amd64", "arm64"} {
		t.Run(goarch, func(t *testing.T) {
			gcc, err := machorun.Compiler(goarch)
			if err != nil {
				skipWithout(t, err)
			}
			r, err := runexe.For(goarch)
			if err != nil {
				skipWithout(t, err)
			}
			shims, err := filepath.Glob("c/shim*.c")
			if err != nil || len(shims) == 0 {
				t.Fatalf("no c/shim*.c: %v", err)
			}
			exe := filepath.Join(t.TempDir(), "shimtest")
			args := append([]string{"-static", "-O1", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Ic"}, shims...)
			if out, err := exec.Command(gcc, append(args, "testdata/shimtest.c", "-o", exe)...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", gcc, err, out)
			}
			cmd := r.Command(exe)
			cmd.Dir = t.TempDir()
			out, err := cmd.CombinedOutput()
			ok := map[string]bool{}
			for _, line := range strings.Split(string(out), "\n") {
				if name, found := strings.CutPrefix(line, "ok "); found {
					ok[name] = true
				}
			}
			if err != nil || strings.Contains(string(out), "FAIL") {
				t.Errorf("shimtest: %v\n%s", err, out)
			}
			for _, fn := range shimFunctions(goarch) {
				if !ok[fn] {
					t.Errorf("no check of %s passed", fn)
				}
			}
		})
	}
}
