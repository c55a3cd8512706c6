package runexe

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
)

// emulators names the qemu user-mode emulator of each architecture wasmc targets, as
// Debian's qemu-user-static installs it.
var emulators = map[string]string{
	"amd64": "qemu-x86_64-static",
	"arm64": "qemu-aarch64-static",
}

// Emulator returns the name of the emulator that runs linux/goarch executables on other
// hosts, or "" for an architecture wasmc does not target.
func Emulator(goarch string) string { return emulators[goarch] }

// Runner runs executables built for one Linux architecture on this host.
type Runner struct {
	// GOARCH is the executables' architecture, as GOARCH spells it.
	GOARCH string
	// Emulator is the path of the emulator that runs them, or "" when the host runs them
	// itself.
	Emulator string
	// CPU, when not empty, is the processor model the emulator emulates (qemu's -cpu),
	// for tests of what an executable does on an older processor.
	CPU string
	// Loader, when not empty, is the path of the loader that runs darwin executables
	// ([ForOS]), a linux/GOARCH executable itself, run under Emulator when that
	// is set; the program's argv[0] is then always exe.
	Loader string
}

// ForCPU returns a runner of linux/goarch executables under the emulator, on processor
// model cpu (as qemu names it, such as Nehalem), whatever the host's architecture.
func ForCPU(goarch, cpu string) (*Runner, error) {
	tool, ok := emulators[goarch]
	if !ok || runtime.GOOS != "linux" {
		return nil, fmt.Errorf("cannot emulate a linux/%s %s on this %s/%s host", goarch, cpu, runtime.GOOS, runtime.GOARCH)
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		return nil, &MissingError{GOARCH: goarch, Host: runtime.GOOS + "/" + runtime.GOARCH, Tool: tool}
	}
	return &Runner{GOARCH: goarch, Emulator: path, CPU: cpu}, nil
}

// For returns the runner of linux/goarch executables on this host. The error is a
// [*MissingError] when the host needs an emulator it does not have, and says why
// otherwise (a host that is not Linux, an architecture wasmc does not target).
func For(goarch string) (*Runner, error) {
	host := runtime.GOOS + "/" + runtime.GOARCH
	if _, ok := emulators[goarch]; !ok {
		return nil, fmt.Errorf("cannot run linux/%s executables: wasmc targets only %s", goarch, strings.Join(arches(), " and "))
	}
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("cannot run linux/%s executables on this %s host", goarch, host)
	}
	if goarch == runtime.GOARCH {
		return &Runner{GOARCH: goarch}, nil
	}
	path, err := exec.LookPath(emulators[goarch])
	if err != nil {
		return nil, &MissingError{GOARCH: goarch, Host: host, Tool: emulators[goarch]}
	}
	return &Runner{GOARCH: goarch, Emulator: path}, nil
}

// arches lists the architectures wasmc targets, sorted.
func arches() []string { return []string{"amd64", "arm64"} }

// MissingError says that running an architecture's executables on this host needs an
// emulator that is not on PATH.
type MissingError struct {
	GOARCH string // the executables'
	Host   string // GOOS/GOARCH of this host
	Tool   string // the emulator's name
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("running linux/%s executables on this %s host needs %s (Debian's qemu-user-static), which is not on PATH", e.GOARCH, e.Host, e.Tool)
}

// Command returns the command that runs exe with args, as exec.Command(exe, args...)
// would on a host of r's architecture: argv[0] is exe.
func (r *Runner) Command(exe string, args ...string) *Cmd {
	return r.CommandArgv(nil, exe, append([]string{exe}, args...))
}

// CommandContext is [Runner.Command] with a context: when ctx is done the program is
// killed (under an emulator, the emulator and the program with it).
func (r *Runner) CommandContext(ctx context.Context, exe string, args ...string) *Cmd {
	return r.CommandArgv(ctx, exe, append([]string{exe}, args...))
}

// CommandArgv returns the command that runs exe with the whole command line argv, argv[0]
// included, which need not be exe (`wasmc run` passes the module's name). A nil ctx means
// none; an empty argv means {exe}.
func (r *Runner) CommandArgv(ctx context.Context, exe string, argv []string) *Cmd {
	if len(argv) == 0 {
		argv = []string{exe}
	}
	command := func(name string, args ...string) *exec.Cmd {
		if ctx == nil {
			return exec.Command(name, args...)
		}
		return exec.CommandContext(ctx, name, args...)
	}
	if r.Loader != "" {
		argv = append([]string{r.Loader, exe}, argv[1:]...)
		exe = r.Loader
	}
	if r.Emulator == "" {
		c := command(exe)
		c.Args = argv
		return &Cmd{Cmd: c}
	}
	// qemu takes the first argument that is not an option as the program; a path that
	// starts with "-" must not look like one. A relative path stays relative to the
	// working directory (Cmd.Dir), as execve's is.
	if strings.HasPrefix(exe, "-") {
		exe = "./" + exe
	}
	args := []string{"-0", argv[0], exe}
	if r.CPU != "" {
		args = append([]string{"-cpu", r.CPU}, args...)
	}
	return &Cmd{Cmd: command(r.Emulator, append(args, argv[1:]...)...), emulated: true}
}

// Cmd is an *exec.Cmd that runs the program directly or under its emulator; set its
// fields and use it as an exec.Cmd. Start, Run, Output and CombinedOutput are its own:
// qemu-user hands the program its environment in reverse order (it builds a list by
// prepending), so under the emulator they give qemu the environment the command would
// have, reversed, and the program gets it in order. Env reads reversed after Start.
type Cmd struct {
	*exec.Cmd
	emulated bool
	reversed bool
}

// Start starts the command, as exec.Cmd's Start does.
func (c *Cmd) Start() error {
	c.fixEnv()
	return c.Cmd.Start()
}

// Run starts the command and waits for it, as exec.Cmd's Run does.
func (c *Cmd) Run() error {
	c.fixEnv()
	return c.Cmd.Run()
}

// Output runs the command and returns its standard output, as exec.Cmd's Output does.
func (c *Cmd) Output() ([]byte, error) {
	c.fixEnv()
	return c.Cmd.Output()
}

// CombinedOutput runs the command and returns its standard output and standard error, as
// exec.Cmd's CombinedOutput does.
func (c *Cmd) CombinedOutput() ([]byte, error) {
	c.fixEnv()
	return c.Cmd.CombinedOutput()
}

// fixEnv reverses, once, the environment the command will have (Environ: Env, or this
// process's with PWD set to Dir, without duplicates), for qemu to reverse back.
func (c *Cmd) fixEnv() {
	if !c.emulated || c.reversed {
		return
	}
	env := c.Cmd.Environ()
	slices.Reverse(env)
	c.Cmd.Env, c.reversed = env, true
}
