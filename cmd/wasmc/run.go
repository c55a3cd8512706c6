package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
)

// cacheEnv overrides the directory `wasmc run` caches executables in.
const cacheEnv = "WASMC_CACHE_DIR"

func newRunCmd() *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "run [flags] MODULE [ARGS...]",
		Short: "Compile a module (cached) and run it",
		Long: `run compiles a module as build does, keeps the executable in a cache and runs it
with ARGS, stdin, stdout and stderr inherited. wasmc exits with the program's exit
status (128+N if signal N killed it). The program's argv[0] is MODULE as written.
An executable of another architecture (--target linux/arm64 on an amd64 host, say)
runs under qemu (qemu-aarch64-static, or qemu-x86_64-static), which must be on PATH.

The cache is ` + "$" + cacheEnv + ` or wasmc/ under the user's cache directory
(` + "$XDG_CACHE_HOME" + ` or ~/.cache). An executable is keyed by the module's bytes, the
flags below and the wasmc binary itself, so a changed module, flag or compiler
builds afresh; concurrent runs of one key are safe.

` + capsHelp + `

Flags go before MODULE: everything after it belongs to the program, flags included,
as with wasmtime run and go run ("wasmc run prog.wasm data.txt -v" gives the program
data.txt and -v). A "--" right after MODULE is dropped, so scripts that wrote
"wasmc run MODULE -- ARGS" keep working.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			args = programArgs(args)
			if fi, err := os.Stat(args[0]); err == nil {
				limitMemory(int(fi.Size()))
			}
			r, err := runnerFor(o.target)
			if err != nil {
				return err
			}
			opts, err := o.options("run")
			if err != nil {
				return err
			}
			exe, err := cachedBuild(args[0], &o, opts)
			if err != nil {
				return err
			}
			return runProgram(r, exe, append([]string{args[0]}, args[1:]...), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.register(cmd.Flags())
	// The module ends wasmc's flags: what follows is the program's.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// programArgs returns run's positional arguments, MODULE then the program's, without a
// "--" right after MODULE: flag parsing stops at MODULE and keeps such a "--" as an
// argument, but people wrote it there when flags still followed the module.
func programArgs(args []string) []string {
	if len(args) > 1 && args[1] == "--" {
		return append(args[:1:1], args[2:]...)
	}
	return args
}

// cacheKey names the executable of module bytes src built with o by this wasmc.
func cacheKey(src []byte, o *buildOptions, opts driver.Options) (string, error) {
	h := sha256.New()
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(self)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	field := func(b []byte) {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(b))))
		h.Write(b)
	}
	field([]byte(version))
	field(src)
	field([]byte(o.target))
	field([]byte{byte(opts.Level), boolByte(o.trapUnknown)})
	field([]byte(o.invoke))
	field([]byte(o.bounds))
	t, _, err := parseTarget(o.target)
	if err != nil {
		return "", err
	}
	cfg, err := o.caps.config(t.Arch.String())
	if err != nil {
		return "", err
	}
	field(cfg)
	return hex.EncodeToString(h.Sum(nil)[:20]), nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// cacheDir returns the cache directory, creating it.
func cacheDir() (string, error) {
	dir := os.Getenv(cacheEnv)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory (set %s): %v", cacheEnv, err)
		}
		dir = filepath.Join(base, "wasmc")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// cachedBuild returns the path of the executable for path built with o, building it
// into the cache when it is not there. Two runs racing on one key both build and both
// rename a complete file into place, so either sees a whole executable.
func cachedBuild(path string, o *buildOptions, opts driver.Options) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	key, err := cacheKey(src, o, opts)
	if err != nil {
		return "", fmt.Errorf("run: %w", err)
	}
	dir, err := cacheDir()
	if err != nil {
		return "", fmt.Errorf("run: %w", err)
	}
	exe := filepath.Join(dir, key)
	if fi, err := os.Stat(exe); err == nil && fi.Mode().IsRegular() {
		return exe, nil
	}
	b, err := driver.Build([]driver.Input{{Path: path, Data: src}}, opts)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, key+".tmp*")
	if err != nil {
		return "", fmt.Errorf("run: %w", err)
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), exe)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("run: caching the executable: %w", err)
	}
	return exe, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// runnerFor returns what runs target's executables on this host: the host itself, or the
// emulator of the target's architecture (internal/runexe). It is asked before building,
// so that a missing emulator is said at once.
func runnerFor(target string) (*runexe.Runner, error) {
	t, _, err := parseTarget(target)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if t.OS != backend.OSLinux {
		return nil, fmt.Errorf("run: cannot run %s executables on this %s host", target, hostTarget())
	}
	r, err := runexe.For(t.Arch.String())
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	return r, nil
}

// runProgram runs exe through r with argv and returns its exit status as an exitError
// (nil for 0). wasmc ignores the terminal's interrupts meanwhile: they reach the program
// (through the emulator, which forwards them), whose status then tells.
func runProgram(r *runexe.Runner, exe string, argv []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := r.CommandArgv(nil, exe, argv)
	c.Stdin, c.Stdout, c.Stderr = stdin, stdout, stderr
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT)
	defer signal.Reset(syscall.SIGINT, syscall.SIGQUIT)
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return &exitError{128 + int(ws.Signal())}
		}
		return &exitError{ee.ExitCode()}
	}
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}
