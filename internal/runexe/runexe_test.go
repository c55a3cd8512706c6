package runexe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targettest"
)

// The test binary doubles as the program to run: with helperEnv set it does what its first
// argument says and exits. For the other architecture the same package is built with
// `go test -c`, so both runs execute the same code.
const helperEnv = "RUNEXE_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helper(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// report is what the helper's "report" mode prints.
type report struct {
	Args []string
	Env  []string
	Dir  string
	Arch string
}

// helper runs one mode: report (print its command line, environment, working directory and
// architecture, write to stderr, exit 134), echo (copy stdin to stdout), die (be killed by
// SIGTERM, as a program without a handler is) and wait (say "ready", exit 42 on SIGINT).
func helper(args []string) int {
	if len(args) == 0 {
		return 2
	}
	switch args[0] {
	case "report":
		wd, _ := os.Getwd()
		json.NewEncoder(os.Stdout).Encode(report{os.Args, os.Environ(), wd, runtime.GOARCH})
		fmt.Fprint(os.Stderr, "to stderr")
		return 134
	case "echo":
		io.Copy(os.Stdout, os.Stdin)
		return 0
	case "die":
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(10 * time.Second)
		return 3
	case "wait":
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGINT)
		fmt.Println("ready")
		select {
		case <-c:
			return 42
		case <-time.After(30 * time.Second):
			return 4
		}
	}
	return 2
}

// TestFor: the host's own architecture runs directly; the other needs its emulator, and
// without it the error names the emulator and its package.
func TestFor(t *testing.T) {
	if runtime.GOOS != "linux" {
		if _, err := runexe.For(runtime.GOARCH); err == nil {
			t.Error("For succeeded on a host that is not Linux")
		}
		t.Skipf("runs Linux executables only on Linux, this is %s", runtime.GOOS)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		r, err := runexe.For(arch)
		var me *runexe.MissingError
		switch {
		case arch == runtime.GOARCH && (err != nil || r.Emulator != ""):
			t.Errorf("%s on this host: %+v, %v; want a direct runner", arch, r, err)
		case arch != runtime.GOARCH && errors.As(err, &me):
			if me.Tool != runexe.Emulator(arch) || !strings.Contains(err.Error(), runexe.Emulator(arch)) || !strings.Contains(err.Error(), "qemu-user-static") {
				t.Errorf("%s: %v", arch, err)
			}
		case arch != runtime.GOARCH && (err != nil || filepath.Base(r.Emulator) != runexe.Emulator(arch)):
			t.Errorf("%s on this host: %+v, %v; want %s", arch, r, err, runexe.Emulator(arch))
		}
	}
	if _, err := runexe.For("riscv64"); err == nil || !strings.Contains(err.Error(), "amd64 and arm64") {
		t.Errorf("riscv64: %v", err)
	}
}

// TestPassThrough runs the helper for each architecture (the other one under its emulator,
// built with go test -c): the command line with its own argv[0], the environment, the
// working directory, stdin, stdout, stderr, the exit status, death by a signal and a
// signal sent to the program all arrive exactly as in a direct run.
func TestPassThrough(t *testing.T) {
	for _, arch := range []string{"amd64", "arm64"} {
		t.Run(arch, func(t *testing.T) {
			r, err := runexe.For(arch)
			if err != nil {
				targettest.Missing(t, err)
			}
			exe := helperFor(t, arch)
			checkPassThrough(t, r, exe, arch)
		})
	}
}

// helperFor returns the helper program for arch: this test binary, or the package's tests
// built for arch.
func helperFor(t *testing.T, arch string) string {
	t.Helper()
	if arch == runtime.GOARCH {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		return exe
	}
	if testing.Short() {
		t.Skip("builds this package's tests for another architecture")
	}
	exe := filepath.Join(t.TempDir(), "runexe.test")
	c := exec.Command("go", "test", "-c", "-o", exe, ".")
	c.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go test -c for %s: %v\n%s", arch, err, out)
	}
	return exe
}

func checkPassThrough(t *testing.T, r *runexe.Runner, exe, arch string) {
	dir := t.TempDir()
	env := []string{helperEnv + "=1", "A=b c", "EMPTY=", "EQ=x=y", "PATH=/nowhere"}
	// The command line, environment, directory, stderr and exit status.
	c := r.CommandArgv(nil, exe, []string{"-not-the-path", "report", "", "two words"})
	c.Env, c.Dir = env, dir
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	err := c.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 134 {
		t.Fatalf("report: %v, want exit status 134; stderr %q", err, stderr.String())
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report: %v: %q", err, stdout.String())
	}
	wantDir, _ := filepath.EvalSymlinks(dir)
	gotDir, _ := filepath.EvalSymlinks(rep.Dir)
	if want := []string{"-not-the-path", "report", "", "two words"}; !slices.Equal(rep.Args, want) {
		t.Errorf("argv %q, want %q", rep.Args, want)
	}
	if !slices.Equal(rep.Env, env) {
		t.Errorf("environment %q, want %q", rep.Env, env)
	}
	if gotDir != wantDir || rep.Arch != arch || stderr.String() != "to stderr" {
		t.Errorf("directory %q, architecture %s, stderr %q; want %q, %s, %q", gotDir, rep.Arch, stderr.String(), wantDir, arch, "to stderr")
	}
	// argv[0] is the path by default, as exec.Command makes it.
	c = r.Command(exe, "report")
	c.Env = env
	stdout.Reset()
	c.Stdout = &stdout
	c.Run()
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || len(rep.Args) == 0 || rep.Args[0] != exe {
		t.Errorf("Command: argv %q (%v), want argv[0] %q", rep.Args, err, exe)
	}
	// Stdin to stdout.
	c = r.Command(exe, "echo")
	c.Env = env
	in := strings.Repeat("line\n", 10000)
	c.Stdin = strings.NewReader(in)
	out, err := c.Output()
	if err != nil || string(out) != in {
		t.Errorf("echo: %v, %d bytes back of %d", err, len(out), len(in))
	}
	// Killed by a signal: the status says which.
	c = r.Command(exe, "die")
	c.Env = env
	err = c.Run()
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGTERM {
		t.Errorf("die: %v, want killed by SIGTERM", err)
	}
	// A signal sent to the command reaches the program.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c = r.CommandContext(ctx, exe, "wait")
	c.Env = env
	pipe, err := c.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	line := make([]byte, len("ready\n"))
	if _, err := io.ReadFull(pipe, line); err != nil || string(line) != "ready\n" {
		c.Process.Kill()
		c.Wait()
		t.Fatalf("wait: %q, %v", line, err)
	}
	c.Process.Signal(syscall.SIGINT)
	if err := c.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 42 {
		t.Errorf("wait: %v, want exit status 42 from the program's SIGINT handler", err)
	}
}

// TestLoaderCommand: a darwin runner runs the loader with the executable and its
// arguments, the executable being the program's argv[0]; under an emulator the loader is
// the emulated program. ForOS refuses what it cannot run, before building anything.
func TestLoaderCommand(t *testing.T) {
	r := &runexe.Runner{GOARCH: "amd64", Loader: "/x/machorun"}
	c := r.Command("prog", "a", "-b")
	if c.Path != "/x/machorun" || strings.Join(c.Args, " ") != "/x/machorun prog a -b" {
		t.Errorf("loader command: %s %q", c.Path, c.Args)
	}
	r = &runexe.Runner{GOARCH: "arm64", Emulator: "/x/qemu", Loader: "/x/machorun"}
	c = r.Command("prog", "a")
	if c.Path != "/x/qemu" || strings.Join(c.Args, " ") != "/x/qemu -0 /x/machorun /x/machorun prog a" {
		t.Errorf("emulated loader command: %s %q", c.Path, c.Args)
	}
	for _, tc := range [][2]string{{"darwin", "riscv64"}, {"plan9", "amd64"}} {
		if _, err := runexe.ForOS(tc[0], tc[1], t.TempDir()); err == nil {
			t.Errorf("ForOS(%s, %s): no error", tc[0], tc[1])
		}
	}
}
