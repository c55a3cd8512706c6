// Command wasiref runs a WASI preview1 command module under Wasmtime (through
// wasmtime-go) the way `wasmtime run` does. It is the reference runtime whose
// output is recorded as the golden files of testdata/programs/wasi, so that
// wasmc-compiled binaries can be compared to Wasmtime byte for byte.
//
// Usage:
//
//	go run . [flags] [--] prog.wasm [args...]
//
// Flags (repeatable where it makes sense):
//
//	--dir HOST::GUEST   preopen host directory HOST as guest path GUEST
//	                    (read and write). "--dir HOST" alone uses HOST as
//	                    the guest path too, like `wasmtime run --dir`.
//	--env K=V           set one environment variable (nothing is inherited)
//	--argv0 NAME        argv[0] given to the program (default: the .wasm path
//	                    as given on the command line, like `wasmtime run`)
//	--fixture FILE      build the fixture FILE describes (see
//	                    testdata/programs/wasi/README.md) in a fresh temporary
//	                    directory, add its preopens, args, env and stdin to the
//	                    run, run, then check that nothing outside the preopened
//	                    directories changed; the temporary tree is removed
//	                    afterwards. Args after prog.wasm are appended to the
//	                    fixture's args.
//	--keep              keep the fixture's temporary directory (its path is
//	                    printed on stderr)
//	--make-fixture DIR  only build the fixture (from --fixture) into DIR,
//	                    which must not exist yet, and exit; no module is run
//	--golden OUT        with --fixture: run the program once per run name
//	                    given after prog.wasm ("main" when none: no extra
//	                    argument; any other name is passed as one extra
//	                    argument), each in a fresh fixture, with standard
//	                    output captured, and write OUT, the golden file
//	                    (internal/wasifixture) that wasmc's tests compare
//	                    with. A run that changes anything outside the
//	                    preopened directories is an error.
//
// Standard input, output and error are inherited (unless the fixture gives
// stdin). The exit status is the program's proc_exit code (0 when _start
// returns); when the program traps the trap is printed on stderr and the
// status is 134 (128+SIGABRT, what `wasmtime run` uses on Unix); any other
// error (e.g. proc_exit with a status outside [0,126)) is printed and the
// status is 1. In fixture mode, when something outside the preopened
// directories changed, that is reported on stderr and the status is 98.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/wasmc/wasmc/internal/wasifixture"
)

type preopen struct{ host, guest string }

func usage() {
	fmt.Fprintln(os.Stderr, "usage: wasiref [--dir HOST::GUEST]... [--env K=V]... [--argv0 NAME] [--fixture FILE [--keep | --golden OUT]] [--make-fixture DIR] [--] prog.wasm [args...]")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "wasiref:", err)
	os.Exit(2)
}

func main() {
	var o options
	var fixturePath, makeFixture, golden string
	keep := false
	args := os.Args[1:]
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if !strings.HasPrefix(a, "-") {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		needVal := func() string {
			if hasVal {
				return val
			}
			if len(args) < 2 {
				usage()
			}
			args = args[1:]
			return args[0]
		}
		switch name {
		case "dir":
			v := needVal()
			host, guest, ok := strings.Cut(v, "::")
			if !ok {
				guest = host
			}
			o.dirs = append(o.dirs, preopen{host, guest})
		case "env":
			v := needVal()
			if !strings.Contains(v, "=") {
				fail(fmt.Errorf("--env %q: want K=V", v))
			}
			o.env = append(o.env, v)
		case "argv0":
			o.argv0 = needVal()
		case "fixture":
			fixturePath = needVal()
		case "make-fixture":
			makeFixture = needVal()
		case "golden":
			golden = needVal()
		case "keep":
			keep = true
		default:
			usage()
		}
		args = args[1:]
	}

	var fx *wasifixture.Fixture
	if fixturePath != "" {
		var err error
		if fx, err = wasifixture.Parse(fixturePath); err != nil {
			fail(err)
		}
	} else if makeFixture != "" || golden != "" || keep {
		fail(errors.New("--make-fixture, --golden and --keep need --fixture"))
	}
	if makeFixture != "" {
		if err := fx.Build(makeFixture); err != nil {
			fail(err)
		}
		return
	}
	if len(args) < 1 {
		usage()
	}
	o.wasm = args[0]
	if o.argv0 == "" {
		o.argv0 = o.wasm
	}
	switch {
	case golden != "":
		runs := args[1:]
		if len(runs) == 0 {
			runs = []string{wasifixture.MainRun}
		}
		writeGolden(fx, o, runs, golden)
	case fx != nil:
		o.args = append(append([]string{}, fx.Args...), args[1:]...)
		status, err := runInFixture(fx, o, keep, "")
		if err != nil {
			fail(err)
		}
		os.Exit(status)
	default:
		o.args = args[1:]
		os.Exit(run(o))
	}
}

// options are what one run of a module gets.
type options struct {
	wasm, argv0 string
	args, env   []string
	dirs        []preopen
	stdin       string // a file, or "" to inherit
	stdout      string // a file, or "" to inherit
}

// writeGolden runs the program once per run name, each in a fresh fixture, and writes
// what each printed and its status to the golden file out.
func writeGolden(fx *wasifixture.Fixture, o options, runs []string, out string) {
	tmp, err := os.MkdirTemp("", "wasiref-golden-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	g := &wasifixture.Golden{
		Comment: fmt.Sprintf("What %s prints under Wasmtime (wasmtime-go v39, bench/wasiref), run in the\nfixture of testdata/programs/wasi/fixture.txt. Regenerate with\n  cd bench/wasiref && go run . --fixture ../../testdata/programs/wasi/fixture.txt --golden OUT prog.wasm RUN...\n", filepath.Base(o.wasm)),
		Runs:    map[string]wasifixture.Run{},
	}
	for _, name := range runs {
		ro := o
		ro.args = fx.RunArgs(name)
		ro.stdout = filepath.Join(tmp, "stdout")
		status, err := runInFixture(fx, ro, false, name)
		if err != nil {
			fail(err)
		}
		stdout, err := os.ReadFile(ro.stdout)
		if err != nil {
			fail(err)
		}
		g.Runs[name] = wasifixture.Run{Stdout: string(stdout), Status: status}
		fmt.Fprintf(os.Stderr, "wasiref: run %s: status %d, %d bytes of output\n", name, status, len(stdout))
	}
	if err := os.WriteFile(out, g.Format(), 0o644); err != nil {
		fail(err)
	}
}

// runInFixture builds the fixture in a fresh directory, runs the program there with the
// fixture's preopens, environment and stdin added to o, and checks that nothing outside
// the preopened directories changed; that is an error when writing goldens and status 98
// otherwise.
func runInFixture(fx *wasifixture.Fixture, o options, keep bool, golden string) (int, error) {
	root, err := os.MkdirTemp("", "wasiref-fixture-")
	if err != nil {
		return 0, err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "wasiref: fixture kept in", root)
	} else {
		defer os.RemoveAll(root)
	}
	tree := filepath.Join(root, "tree")
	if err := fx.Build(tree); err != nil {
		return 0, err
	}
	var dirs []preopen
	for _, p := range fx.Preopens {
		dirs = append(dirs, preopen{filepath.Join(tree, p.Path), p.Guest})
	}
	o.dirs = append(dirs, o.dirs...)
	o.env = append(append([]string{}, fx.Env...), o.env...)
	o.stdin = filepath.Join(root, "stdin")
	if err := os.WriteFile(o.stdin, []byte(fx.Stdin), 0o644); err != nil {
		return 0, err
	}
	before, err := fx.Snapshot(tree)
	if err != nil {
		return 0, err
	}
	status := run(o)
	after, err := fx.Snapshot(tree)
	if err != nil {
		return 0, err
	}
	if diff := wasifixture.Diff(before, after); diff != "" {
		if golden != "" {
			return 0, fmt.Errorf("run %s changed the tree outside the preopened directories:\n%s", golden, diff)
		}
		fmt.Fprintf(os.Stderr, "wasiref: FIXTURE ESCAPE: outside the preopened directories changed:\n%s", diff)
		status = 98
	}
	return status, nil
}

func run(o options) int {
	engine := wasmtime.NewEngine()
	module, err := wasmtime.NewModuleFromFile(engine, o.wasm)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasiref: compiling:", err)
		return 2
	}
	linker := wasmtime.NewLinker(engine)
	if err := linker.DefineWasi(); err != nil {
		fmt.Fprintln(os.Stderr, "wasiref:", err)
		return 2
	}
	wc := wasmtime.NewWasiConfig()
	wc.SetArgv(append([]string{o.argv0}, o.args...))
	var keys, vals []string
	for _, kv := range o.env {
		k, v, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
		vals = append(vals, v)
	}
	wc.SetEnv(keys, vals)
	if o.stdin != "" {
		if err := wc.SetStdinFile(o.stdin); err != nil {
			fmt.Fprintln(os.Stderr, "wasiref: stdin:", err)
			return 2
		}
	} else {
		wc.InheritStdin()
	}
	if o.stdout != "" {
		if err := wc.SetStdoutFile(o.stdout); err != nil {
			fmt.Fprintln(os.Stderr, "wasiref: stdout:", err)
			return 2
		}
	} else {
		wc.InheritStdout()
	}
	wc.InheritStderr()
	for _, d := range o.dirs {
		if err := wc.PreopenDir(d.host, d.guest,
			wasmtime.DIR_READ|wasmtime.DIR_WRITE,
			wasmtime.FILE_READ|wasmtime.FILE_WRITE); err != nil {
			fmt.Fprintf(os.Stderr, "wasiref: --dir %s::%s: %v\n", d.host, d.guest, err)
			return 2
		}
	}
	store := wasmtime.NewStore(engine)
	store.SetWasi(wc)
	inst, err := linker.Instantiate(store, module)
	if err != nil {
		return report(err)
	}
	start := inst.GetFunc(store, "_start")
	if start == nil {
		fmt.Fprintln(os.Stderr, "wasiref: module has no _start export")
		return 2
	}
	_, err = start.Call(store)
	os.Stdout.Sync()
	if err != nil {
		return report(err)
	}
	return 0
}

func report(err error) int {
	var werr *wasmtime.Error
	if errors.As(err, &werr) {
		if st, ok := werr.ExitStatus(); ok {
			return int(st)
		}
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
		return 1
	}
	var trap *wasmtime.Trap
	if errors.As(err, &trap) {
		fmt.Fprintf(os.Stderr, "Error: failed to run main module\n\nCaused by:\n    %v\n", trap.Message())
		return 134
	}
	fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	return 1
}
