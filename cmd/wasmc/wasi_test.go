package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wasmc/wasmc/internal/targettest"
)

// argcWat exits, through proc_exit, with its argument count plus the length of its
// first environment variable, which shows the command line and --env reaching the
// program and the status coming back.
const argcWat = `(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start")
    (drop (call $args (i32.const 0) (i32.const 4)))
    (drop (call $env (i32.const 8) (i32.const 12)))
    (call $exit (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 12))))))`

// exitCode runs path with args through x's runner and returns its stdout and exit status.
func exitCode(t *testing.T, x targettest.Exec, path string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	c := x.Runner.Command(path, args...)
	c.Stdout = &out
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), 0
}

func TestBuildWASICommand(t *testing.T) {
	targettest.Each(t, testBuildWASICommand)
}

func testBuildWASICommand(t *testing.T, x targettest.Exec) {
	src := writeFile(t, "argc.wat", []byte(argcWat))
	exe := buildFor(t, x, src, "--env", "K=vv")
	// argc 3 (the program and two arguments) + "K=vv\0" (5 bytes).
	if _, code := exitCode(t, x, exe, "a", "b"); code != 8 {
		t.Errorf("exit status %d, want 8", code)
	}
	exe = buildFor(t, x, src)
	if _, code := exitCode(t, x, exe); code != 1 {
		t.Errorf("no environment, no arguments: exit status %d, want 1", code)
	}
}

// TestRunCache runs a module with `wasmc run` for each target (another architecture's
// executable under its emulator): racing runs of one key share one cached executable; a
// run with other capabilities and arguments finds the same executable and does not
// compile (the cache's one file is the same file, not a rebuilt one), and gets what it
// was given; another code-generation flag is another key.
func TestRunCache(t *testing.T) {
	targettest.Each(t, testRunCache)
}

func testRunCache(t *testing.T, x targettest.Exec) {
	cache := t.TempDir()
	t.Setenv(cacheEnv, cache)
	src := writeFile(t, "argc.wat", []byte(argcWat))
	// Two runs race on one key; both must build or find a whole executable.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	errs := make([]string, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i], codes[i] = runCLI(t, "run", "--target", x.Name, "--env", "K=v", src, "-x", "y", "z")
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != 4+4 { // argc 4, "K=v\0"
			t.Errorf("racing run %d: exit status %d, want 8: %s", i, code, errs[i])
		}
	}
	exes := cachedExecutables(t, cache)
	if len(exes) != 1 {
		t.Fatalf("cache holds %d executables after two runs of one key, want 1", len(exes))
	}
	// Other capabilities and arguments: the same executable, not compiled again.
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--env", "LONGER=value", "--dir", dir, src, "a"}, 2 + 13},
		{[]string{"--dir", dir + "::/d", src}, 1},
		{[]string{"--env", "K=v", "--env", "L=w", src, "a", "b", "c"}, 4 + 8},
	} {
		args := append([]string{"run", "--target", x.Name}, tc.args...)
		if _, stderr, code := runCLI(t, args...); code != tc.want {
			t.Errorf("%v: exit status %d, want %d: %s", args, code, tc.want, stderr)
		}
		again := cachedExecutables(t, cache)
		if len(again) != 1 || !os.SameFile(again[0], exes[0]) {
			t.Errorf("%v compiled again: the cache holds %d executables, not the first one", args, len(again))
		}
	}
	// Another code-generation flag is another key.
	if _, stderr, code := runCLI(t, "run", "--target", x.Name, "-O0", src, "x"); code != 2 {
		t.Errorf("run -O0: exit status %d, want 2: %s", code, stderr)
	}
	if n := len(cachedExecutables(t, cache)); n != 2 {
		t.Errorf("cache holds %d executables after a second key, want 2", n)
	}
	// The wall is baked in, so leaving it out is a third.
	if _, stderr, code := runCLI(t, "run", "--target", x.Name, "--no-os-sandbox", src, "x"); code != 2 {
		t.Errorf("run --no-os-sandbox: exit status %d, want 2: %s", code, stderr)
	}
	if n := len(cachedExecutables(t, cache)); n != 3 {
		t.Errorf("cache holds %d executables after --no-os-sandbox, want 3", n)
	}
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left in the cache", e.Name())
		}
	}
}

// cachedExecutables returns what the cache at dir holds: its executables.
func cachedExecutables(t *testing.T, dir string) []os.FileInfo {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var fis []os.FileInfo
	for _, de := range des {
		if isKey(de.Name()) {
			fi, err := os.Stat(filepath.Join(dir, de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			fis = append(fis, fi)
		}
	}
	return fis
}

func TestWASIFlagErrors(t *testing.T) {
	src := writeFile(t, "argc.wat", []byte(argcWat))
	out := filepath.Join(t.TempDir(), "x")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--dir", ""}, `--dir "": want HOST or HOST::GUEST`},
		{[]string{"--dir", "a::"}, `--dir "a::": want HOST or HOST::GUEST`},
		{[]string{"--env", "=v"}, `--env "=v": want K=V or K`},
		{[]string{"--env", ""}, `--env "": want K=V or K`},
		{[]string{"--tcplisten", "nohost"}, `--tcplisten "nohost"`},
		{[]string{"--tcplisten", "example.com:80"}, `want an IP address or localhost`},
		{[]string{"--tcplisten", "127.0.0.1:99999"}, `bad port`},
	} {
		_, stderr, code := runCLI(t, append([]string{"build", src, "-o", out}, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("build %v: exit %d, stderr %q; want 1 and %q", tc.args, code, stderr, tc.want)
		}
	}
	reserved := writeFile(t, "r.wat", []byte(`(module (import "wasi_snapshot_preview1" "wasmc_trap" (func (param i32 i64))))`))
	_, stderr, code := runCLI(t, "build", reserved, "-o", out)
	if code != 1 || !strings.Contains(stderr, "reserved") {
		t.Errorf("importing a runtime-internal name: exit %d, stderr %q", code, stderr)
	}
	unknown := writeFile(t, "u.wat", []byte(`(module (import "wasi_snapshot_preview1" "fd_frobnicate" (func)))`))
	_, stderr, code = runCLI(t, "build", unknown, "-o", out)
	if code != 1 || !strings.Contains(stderr, `"wasi_snapshot_preview1" "fd_frobnicate": nothing provides it`) {
		t.Errorf("importing an unknown WASI name: exit %d, stderr %q", code, stderr)
	}
}

// TestPreopenChecks: a --dir that does not exist or is not a directory fails the build
// in one line; a relative one is stored absolute, so the executable finds it from
// another working directory; one removed after the build makes the executable say so,
// naming itself (argv[0]) and the error in words.
func TestPreopenChecks(t *testing.T) {
	src := writeFile(t, "argc.wat", []byte(argcWat))
	dir := t.TempDir()
	file := writeFile(t, "file", nil)
	out := filepath.Join(t.TempDir(), "x")
	for _, tc := range []struct {
		dir, want string
	}{
		{filepath.Join(dir, "nope"), filepath.Join(dir, "nope") + ": no such directory"},
		{file, file + ": not a directory"},
	} {
		for _, cmd := range []string{"build", "run"} {
			args := []string{cmd, "--dir", tc.dir, src}
			if cmd == "build" {
				args = append(args, "-o", out)
			}
			_, stderr, code := runCLI(t, args...)
			if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%v: exit %d, stderr %q; want 1 and one line with %q", args, code, stderr, tc.want)
			}
		}
	}
	targettest.Each(t, testPreopenChecks)
}

func testPreopenChecks(t *testing.T, x targettest.Exec) {
	src := writeFile(t, "argc.wat", []byte(argcWat))
	work := t.TempDir()
	if err := os.Mkdir(filepath.Join(work, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	exe := buildFor(t, x, src, "--dir", "data")
	elsewhere := t.TempDir()
	run := func() (int, string) {
		var stderr bytes.Buffer
		c := x.Runner.Command(exe, "a", "b")
		c.Dir, c.Stderr = elsewhere, &stderr
		err := c.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), stderr.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}
	if code, stderr := run(); code != 3 || stderr != "" { // argc 3, no environment
		t.Errorf("relative --dir run from elsewhere: exit %d, stderr %q; want 3 and nothing", code, stderr)
	}
	if err := os.Remove(filepath.Join(work, "data")); err != nil {
		t.Fatal(err)
	}
	want := exe + ": --dir " + filepath.Join(work, "data") + ": No such file or directory\n"
	if code, stderr := run(); code != 1 || stderr != want {
		t.Errorf("--dir removed after the build: exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

// TestEchoServer serves one client over --tcplisten with testdata/programs/echo, a C
// program using sock_accept, sock_recv, sock_send and sock_shutdown, for each target.
func TestEchoServer(t *testing.T) {
	targettest.Each(t, testEchoServer)
}

func testEchoServer(t *testing.T, x targettest.Exec) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback: %v", err)
	}
	addr := l.Addr().String()
	l.Close() // the port is free again for the server to bind
	exe := buildFor(t, x, filepath.Join("..", "..", "testdata", "programs", "echo", "echo.wasm"), "--tcplisten", addr)
	var out bytes.Buffer
	srv := x.Runner.Command(exe)
	srv.Stdout = &out
	srv.Stderr = &out
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	var conn net.Conn
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		conn, err = net.Dial("tcp", addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		srv.Process.Kill()
		t.Fatalf("connecting to the echo server: %v (its output: %s)", err, out.String())
	}
	msg := strings.Repeat("echo, echo\n", 1000)
	go func() {
		io.WriteString(conn, msg)
		conn.(*net.TCPConn).CloseWrite()
	}()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(bufio.NewReader(conn))
	conn.Close()
	if err != nil || string(got) != msg {
		t.Errorf("echoed %d bytes (err %v), want the %d sent", len(got), err, len(msg))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server: %v", err)
		}
	case <-time.After(10 * time.Second):
		srv.Process.Kill()
		t.Fatal("server did not exit")
	}
	if want := fmt.Sprintf("echoed %d bytes\n", len(msg)); out.String() != want {
		t.Errorf("server printed %q, want %q", out.String(), want)
	}
}

// TestReaddirWhileDeleting runs testdata/programs/rmtree, which deletes 300 files as
// Rust's remove_dir_all does: a few entries per fd_readdir, each unlinked before the
// next read goes on from the last cookie. Every file must be found and the directory
// removed. (Wasmtime 39 loses half of them; wasmc's cookies resume where the last
// read stopped, wasi_dir.c.)
func TestReaddirWhileDeleting(t *testing.T) {
	targettest.Each(t, testReaddirWhileDeleting)
}

func testReaddirWhileDeleting(t *testing.T, x targettest.Exec) {
	for _, walk := range []bool{false, true} {
		dir := t.TempDir()
		args := []string{"--dir", dir + "::/work"}
		if walk {
			args = append(args, "--sandbox-walk")
		}
		exe := buildFor(t, x, filepath.Join("..", "..", "testdata", "programs", "rmtree", "rmtree.wasm"), args...)
		out, code := exitCode(t, x, exe)
		if want := "removed 300 files in over 30 fd_readdir calls; rmdir d: errno 0\n"; code != 0 || out != want {
			t.Errorf("walk %v: exit status %d, output %q; want 0 and %q", walk, code, out, want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("walk %v: %d entries left in the preopened directory", walk, len(entries))
		}
	}
}

// TestRunArgsAfterModule: everything after the module goes to the program, flags
// included, and a "--" right after it is still accepted (and dropped).
func TestRunArgsAfterModule(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		t.Setenv(cacheEnv, t.TempDir())
		src := writeFile(t, "argc.wat", []byte(argcWat))
		for _, tc := range []struct {
			args []string
			argc int
		}{
			{[]string{src, "data.txt", "-v"}, 3},
			{[]string{src, "--env", "K=v", "-O7"}, 4},
			{[]string{src, "--", "-v"}, 2},
			{[]string{src, "--", "--", "-v"}, 3},
			{[]string{"--", src, "-v"}, 2},
		} {
			args := append([]string{"run", "--target", x.Name}, tc.args...)
			if _, stderr, code := runCLI(t, args...); code != tc.argc {
				t.Errorf("%v: exit status %d, want argc %d: %s", args, code, tc.argc, stderr)
			}
		}
	})
}

// exitWat exits through proc_exit with its first argument.
const exitWat = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "exit") (param i32) (call $exit (local.get 0))))`

// TestProcExitStatus: proc_exit(n) exits with n for every n from 0 to 255, as a native
// program would (under an emulator, a sample of them); 256 and up is refused with a
// message and status 1 rather than truncated to its low byte.
func TestProcExitStatus(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		exe := buildFor(t, x, writeFile(t, "exit.wat", []byte(exitWat)), "--invoke", "exit")
		statuses := []int{0, 1, 2, 125, 126, 127, 128, 129, 200, 254, 255}
		if !x.Emulated() {
			statuses = nil
			for n := range 256 {
				statuses = append(statuses, n)
			}
		}
		for _, n := range statuses {
			if _, code := exitCode(t, x, exe, fmt.Sprint(n)); code != n {
				t.Errorf("proc_exit(%d): exit status %d", n, code)
			}
		}
		var stderr bytes.Buffer
		c := x.Runner.Command(exe, "256")
		c.Stderr = &stderr
		err := c.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "exit status outside of [0..255]: 256") {
			t.Errorf("proc_exit(256): %v, stderr %q; want status 1 and why", err, stderr.String())
		}
	})
}
