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
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/wasmc/wasmc/backend"
	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/rtlib"
)

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
(` + "$XDG_CACHE_HOME" + ` or ~/.cache); "wasmc cache" lists and cleans it. An executable
is keyed by what changes its code: the module's bytes, -O, --target, --invoke,
--bounds-checks, --cpu, --trap-unknown-imports, --no-os-sandbox and the wasmc binary
itself. The
capabilities and the arguments are not in the key: each run hands them to the cached
executable, so changing them never recompiles. The cache keeps at most
` + "$" + cacheMaxEnv + ` bytes (a size such as 500M or 2G; 1G by default), evicting the
least recently used executables; concurrent runs are safe.

` + capsHelp + `

` + wallHelp + `

Flags go before MODULE: everything after it belongs to the program, flags included,
as with wasmtime run and go run ("wasmc run prog.wasm data.txt -v" gives the program
data.txt and -v). A "--" right after MODULE is dropped, so scripts that wrote
"wasmc run MODULE -- ARGS" keep working.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			args = programArgs(args)
			r, err := runnerFor(o.target)
			if err != nil {
				return err
			}
			opts, err := o.options("run")
			if err != nil {
				return err
			}
			caps := opts.WASIConfig
			opts.WASIConfig = rtlib.FromDescriptor(runConfigFD)
			report := startProgress(cmd.ErrOrStderr(), o.quiet)
			opts.Progress = report.callback()
			exe, err := cachedBuild(args[0], &o, opts)
			report.end()
			if err != nil {
				return err
			}
			return runProgram(r, exe, args, caps, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.register(cmd.Flags())
	// The module ends wasmc's flags: what follows is the program's.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// runConfigFD is the descriptor on which `wasmc run` hands a cached executable its
// capabilities (rtlib.FromDescriptor): the first after stdin, stdout and stderr.
const runConfigFD = 3

// programArgs returns run's positional arguments, MODULE then the program's, without a
// "--" right after MODULE: flag parsing stops at MODULE and keeps such a "--" as an
// argument, but people wrote it there when flags still followed the module.
func programArgs(args []string) []string {
	if len(args) > 1 && args[1] == "--" {
		return append(args[:1:1], args[2:]...)
	}
	return args
}

// cacheKey names the executable of module bytes src built with o by this wasmc: what
// changes the code, and nothing that reaches the executable at run time.
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
	// The wall is baked into the executable (its filter is the target's), so it is code.
	field([]byte{byte(opts.Level), boolByte(o.trapUnknown), boolByte(o.noWall), boolByte(o.wallProbe)})
	field([]byte(o.invoke))
	field([]byte(o.bounds))
	field([]byte{byte(opts.CPU)}) // parsed, so that "" and the baseline's name share a key
	field([]byte{byte(opts.Regalloc)})
	field(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, opts.MaxMemory), opts.MaxTableElems))
	field(opts.WASIConfig) // which descriptor the capabilities come on
	return hex.EncodeToString(h.Sum(nil)[:20]), nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// about describes a cache entry for `wasmc cache list`: the module and the flags of its key.
func about(path string, o *buildOptions, opts driver.Options) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	s := []string{path, fmt.Sprintf("-O%d", opts.Level), "--target", o.target}
	if o.invoke != "" {
		s = append(s, "--invoke", o.invoke)
	}
	if o.bounds != "guard" {
		s = append(s, "--bounds-checks", o.bounds)
	}
	if opts.CPU != backend.CPUBaseline {
		s = append(s, "--cpu", o.cpu)
	}
	if o.trapUnknown {
		s = append(s, "--trap-unknown-imports")
	}
	if opts.MaxMemory != backend.DefaultMaxMemory {
		s = append(s, "--max-memory", o.limits.memory)
	}
	if opts.MaxTableElems != backend.DefaultMaxTableElems {
		s = append(s, "--max-table-elements", fmt.Sprint(opts.MaxTableElems))
	}
	if o.noWall {
		s = append(s, "--no-os-sandbox")
	}
	return strings.Join(s, " ")
}

// cachedBuild returns the path of the executable for the module at path built with o
// (opts), building it into the cache when it is not there.
func cachedBuild(path string, o *buildOptions, opts driver.Options) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	key, err := cacheKey(src, o, opts)
	if err != nil {
		return "", fmt.Errorf("run: %w", err)
	}
	c, err := openCache()
	if err != nil {
		return "", fmt.Errorf("run: %w", err)
	}
	if exe, ok := c.lookup(key); ok {
		return exe, nil
	}
	limitMemory(len(src))
	b, err := driver.Build([]driver.Input{{Path: path, Data: src}}, opts)
	if err != nil {
		return "", err
	}
	exe, err := c.store(key, b, about(path, o, opts))
	if err != nil {
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
	t, _, err := parseTarget(target, nil)
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

// runProgram runs exe through r with argv, handing it the capabilities caps (an encoded
// rtlib.Config) on runConfigFD, and returns its exit status as an exitError (nil for 0).
// wasmc ignores the terminal's interrupts meanwhile: they reach the program (through the
// emulator, which forwards them), whose status then tells.
func runProgram(r *runexe.Runner, exe string, argv []string, caps []byte, stdin io.Reader, stdout, stderr io.Writer) error {
	capsFile, err := capsFile(caps)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	defer capsFile.Close()
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT)
	defer signal.Reset(syscall.SIGINT, syscall.SIGQUIT)
	// A process that wrote the executable and forks elsewhere at that moment (a test
	// running several `wasmc run`s in one process) can leave the file open for writing in
	// a child for an instant, and the kernel then refuses to execute it (ETXTBSY); as Go's
	// own toolchain does, start it again a few times before giving up.
	for attempt := 1; ; attempt++ {
		c := r.CommandArgv(nil, exe, argv)
		c.Stdin, c.Stdout, c.Stderr = stdin, stdout, stderr
		c.ExtraFiles = []*os.File{capsFile} // descriptor 3 = runConfigFD
		if err = c.Start(); errors.Is(err, syscall.ETXTBSY) && attempt < 5 {
			time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
			continue
		}
		if err == nil {
			err = c.Wait()
		}
		break
	}
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

// capsFile returns an open file holding caps and no name: the runtime maps it, which a
// pipe would not allow, and nothing is left behind however the run ends.
func capsFile(caps []byte) (*os.File, error) {
	f, err := os.CreateTemp("", "wasmc-run-caps")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	if _, err := f.Write(caps); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
