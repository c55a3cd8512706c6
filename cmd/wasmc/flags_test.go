package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/internal/targettest"
)

// placeholder is what a flag's value should be called in help: a word in capitals
// (FILE, OS/ARCH, HOST[::GUEST]), or nothing for a boolean.
var placeholder = regexp.MustCompile(`^([A-Z][A-Z0-9_/:=\[\]]*)?$`)

// TestFlagHelp: every flag of every command names its value with a placeholder in
// capitals, never Go's type ("string", "stringArray") or a phrase pflag took from
// backquotes in the usage ("--target wasmc targets").
func TestFlagHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			name, usage := pflag.UnquoteUsage(f)
			if !placeholder.MatchString(name) || strings.Contains(usage, "`") {
				t.Errorf("%s --%s: help shows value %q: %q", c.CommandPath(), f.Name, name, usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
	out, _, _ := runCLI(t, "--help")
	if !strings.Contains(out, "completion") {
		t.Errorf("wasmc --help does not mention shell completion:\n%s", out)
	}
}

// TestVersionFlag: wasmc --version prints what wasmc version does.
func TestVersionFlag(t *testing.T) {
	flag, _, code := runCLI(t, "--version")
	cmd, _, _ := runCLI(t, "version")
	if code != 0 || flag != cmd || !strings.HasPrefix(flag, "wasmc ") {
		t.Errorf("wasmc --version: exit %d, %q; wasmc version: %q", code, flag, cmd)
	}
}

// TestLevelFlag: -O3 and -Os mean -O2 (the same executable), a bad level is said by the
// command that got it, and build, run and wast all default to -O2.
func TestLevelFlag(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	o2, err := os.ReadFile(build(t, src, "-O2", "--invoke", "fac_iter"))
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []string{"-O3", "-Os", "--opt=s"} {
		if b, err := os.ReadFile(build(t, src, level, "--invoke", "fac_iter")); err != nil || !bytes.Equal(b, o2) {
			t.Errorf("%s: not the -O2 executable (%v)", level, err)
		}
	}
	for _, cmd := range []string{"build", "run", "wast"} {
		args := []string{cmd, "-O7", src}
		if cmd == "build" {
			args = append(args, "-o", filepath.Join(t.TempDir(), "x"))
		}
		want := "wasmc: " + cmd + ": -O7: the levels are 0, 1 and 2 (-O3 and -Os mean -O2)\n"
		if _, stderr, code := runCLI(t, args...); code != 1 || stderr != want {
			t.Errorf("%v: exit %d, stderr %q; want 1, %q", args, code, stderr, want)
		}
	}
	root := newRootCmd()
	for _, cmd := range []string{"build", "run", "wast"} {
		c, _, _ := root.Find([]string{cmd})
		if f := c.Flags().Lookup("opt"); f == nil || f.DefValue != "2" {
			t.Errorf("%s: -O's default is not 2", cmd)
		}
	}
}

// TestRegallocFlag: the hidden --regalloc chooses the allocator (-O0's is fast, so
// --regalloc=linear-scan changes its code), and a bad value is said by the command.
func TestRegallocFlag(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	read := func(args ...string) []byte {
		b, err := os.ReadFile(build(t, src, append([]string{"--invoke", "fac_iter"}, args...)...))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	o0 := read("-O0")
	if !bytes.Equal(o0, read("-O0", "--regalloc=fast")) || bytes.Equal(o0, read("-O0", "--regalloc=linear-scan")) {
		t.Error("-O0 does not build with the fast allocator, or --regalloc=linear-scan does not change it")
	}
	for _, cmd := range []string{"build", "run", "wast"} {
		want := "wasmc: " + cmd + ": --regalloc \"x\": the allocators are fast and linear-scan\n"
		args := []string{cmd, "--regalloc=x", src}
		if cmd == "build" {
			args = append(args, "-o", filepath.Join(t.TempDir(), "x"))
		}
		if _, stderr, code := runCLI(t, args...); code != 1 || stderr != want {
			t.Errorf("%s --regalloc=x: exit %d, stderr %q; want 1, %q", cmd, code, stderr, want)
		}
	}
}

// TestFlagValueErrors: a flag value that does not parse is said in words, not strconv's.
func TestFlagValueErrors(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"build", "--verbose=maybe", src}, `invalid argument "maybe" for "-v, --verbose" flag: want true or false`},
		{[]string{"wast", "--interp=2", src}, `invalid argument "2" for "--interp" flag: want true or false`},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "strconv") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestEnvInherit: --env K without a value passes the K of the environment the executable
// runs in, and nothing when it has none, as wasmtime run --env K does.
func TestEnvInherit(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		exe := buildFor(t, x, writeFile(t, "argc.wat", []byte(argcWat)), "--env", "WASMC_TEST_K")
		run := func(env ...string) int {
			c := x.Runner.Command(exe)
			c.Env = append(os.Environ(), env...)
			err := c.Run()
			if ee, ok := err.(interface{ ExitCode() int }); ok && err != nil {
				return ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			return 0
		}
		// argc 1, plus "WASMC_TEST_K=vv\0" (16 bytes) when it is set.
		if code := run("WASMC_TEST_K=vv", "WASMC_TEST_OTHER=x"); code != 17 {
			t.Errorf("WASMC_TEST_K set: exit status %d, want 17", code)
		}
		if code := run("WASMC_TEST_OTHER=x"); code != 1 {
			t.Errorf("WASMC_TEST_K not set: exit status %d, want 1", code)
		}
	})
}

// TestCPUFlag: --cpu names a level of the target's architecture; any other name is a
// one-line error listing the levels, for build, run and wast alike. The level is code, so
// it is in run's cache key, and the baseline's name keys as the default does.
func TestCPUFlag(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fac.wat")
	read := func(args ...string) []byte {
		b, err := os.ReadFile(build(t, src, append([]string{"--invoke", "fac_iter", "--target", "linux/amd64"}, args...)...))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	v2 := read()
	if !bytes.Equal(v2, read("--cpu", "x86-64-v2")) || bytes.Equal(v2, read("--cpu", "x86-64-v3")) {
		t.Error("--cpu x86-64-v2 is not the default, or --cpu x86-64-v3 does not change the code")
	}
	for _, cmd := range []string{"build", "run", "wast"} {
		want := "wasmc: " + cmd + ": --cpu \"haswell\": the levels for amd64 are x86-64-v2, x86-64-v3\n"
		args := []string{cmd, "--cpu=haswell", "--target", "linux/amd64", src}
		if cmd == "build" {
			args = append(args, "-o", filepath.Join(t.TempDir(), "x"))
		}
		if _, stderr, code := runCLI(t, args...); code != 1 || stderr != want {
			t.Errorf("%s --cpu=haswell: exit %d, stderr %q; want 1, %q", cmd, code, stderr, want)
		}
	}
	want := "wasmc: build: --cpu \"x86-64-v3\": the levels for arm64 are armv8.0-a\n"
	if _, stderr, code := runCLI(t, "build", "--cpu", "x86-64-v3", "--target", "linux/arm64", src, "-o", filepath.Join(t.TempDir(), "x")); code != 1 || stderr != want {
		t.Errorf("arm64 --cpu x86-64-v3: exit %d, stderr %q; want 1, %q", code, stderr, want)
	}
	key := func(cpu string) string {
		var o buildOptions
		o.register(pflag.NewFlagSet("run", pflag.ContinueOnError)) // the flags' defaults
		o.target, o.cpu = "linux/amd64", cpu
		opts, err := o.options("run")
		if err != nil {
			t.Fatal(err)
		}
		k, err := cacheKey([]byte("(module)"), &o, opts)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if key("") != key("x86-64-v2") || key("") == key("x86-64-v3") {
		t.Error("run's cache key: --cpu x86-64-v3 shares the default's, or x86-64-v2 does not")
	}
}
