package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var facWat = filepath.Join("..", "..", "testdata", "fac.wat")

// TestBuildInsideFlagErrors: what looks inside fails with one clear line and status 1 when
// it is asked wrongly.
func TestBuildInsideFlagErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x")
	noDir := filepath.Join(t.TempDir(), "no", "such", "dir", "p")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--func", "fac_iter"}, "wasmc: build: --func selects what --dump prints: give --dump=PHASES too\n"},
		{[]string{"--dump", "nosuch"}, `wasmc: --dump: no phase "nosuch" at -O2 (phases: lower, inline, fold, `},
		{[]string{"--dump", "gvn", "-O0"}, `wasmc: --dump: no phase "gvn" at -O0 (phases: lower, select, regalloc)` + "\n"},
		{[]string{"--dump", "lower,"}, `wasmc: --dump: no phase "" at -O2`},
		{[]string{"--cpuprofile", noDir}, "wasmc: build: --cpuprofile: open " + noDir},
		{[]string{"--memprofile", noDir}, "wasmc: build: --memprofile: open " + noDir},
		{[]string{"--verify=maybe"}, `wasmc: invalid argument "maybe" for "--verify" flag`},
		{[]string{"--dump"}, "wasmc: flag needs an argument: --dump\n"},
	} {
		_, errs, code := runCLI(t, append([]string{"build", facWat, "--invoke", "fac_iter", "-o", out}, tc.args...)...)
		if code != 1 || !strings.HasPrefix(errs, tc.want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 1 and one line starting %q", tc.args, code, errs, tc.want)
		}
	}
	if _, errs, code := runCLI(t, "build", "--dump=help", "-O5"); code != 1 || errs != "wasmc: build: -O5: the levels are 0, 1 and 2 (-O3 and -Os mean -O2)\n" {
		t.Errorf("--dump=help -O5: exit %d, stderr %q", code, errs)
	}
}

// TestBuildDumpHelp lists the phases of the level, with no module and no output.
func TestBuildDumpHelp(t *testing.T) {
	out, errs, code := runCLI(t, "build", "--dump=help", "-O1")
	want := "--dump phases at -O1, in the order they run (or all):\n  lower\n  fold\n  copyprop\n  dce\n  simplifycfg\n  select\n  regalloc\n"
	if code != 0 || out != want || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
}

// TestBuildDump prints one function after lowering, a pass, selection and allocation, in
// the filetests' text forms, to stderr, in phase order; the executable is the same as
// without the dump.
func TestBuildDump(t *testing.T) {
	dir := t.TempDir()
	plain, dumped := filepath.Join(dir, "plain"), filepath.Join(dir, "dumped")
	if _, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", "-o", plain); code != 0 {
		t.Fatal(errs)
	}
	out, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", "-o", dumped, "--dump=regalloc,lower,gvn,select", "--func=$fac_iter")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	headers := regexp.MustCompile(`(?m)^; .*$`).FindAllString(errs, -1)
	want := []string{"; $fac_iter after lower", "; $fac_iter after gvn", "; $fac_iter after select", "; $fac_iter after regalloc"}
	if strings.Join(headers, "\n") != strings.Join(want, "\n") {
		t.Errorf("headers %q, want %q", headers, want)
	}
	for _, text := range []string{
		"func $fac_iter(i64) -> i64 {\nb0(v0:i64):\n", // the IR printer
		"$fac_iter:\nb0:\n    movq %0, rdi\n",         // machine code over virtual registers
		"    cmpq rsp, [rip + stack_limit]\n",         // the prologue, after allocation
	} {
		if !strings.Contains(errs, text) {
			t.Errorf("the dump lacks %q:\n%s", text, errs)
		}
	}
	a, _ := os.ReadFile(plain)
	b, _ := os.ReadFile(dumped)
	if string(a) != string(b) {
		t.Error("the executable built with --dump differs")
	}
	// Without --func, every function is printed once per phase, the runtime's too.
	_, errs, code = runCLI(t, "build", facWat, "--invoke", "fac_iter", "-o", dumped, "--dump=lower", "-O0")
	if code != 0 || !strings.Contains(errs, "; $fac_rec after lower\n") || !strings.Contains(errs, "; $fac_iter after lower\n") || strings.Count(errs, "; $fac_iter ") != 1 {
		t.Errorf("--dump=lower: exit %d, stderr:\n%s", code, errs)
	}
}

// TestBuildVerify builds with the IR verifier and the allocation checker on: the same
// executable as without.
func TestBuildVerify(t *testing.T) {
	dir := t.TempDir()
	for _, level := range []string{"-O0", "-O2"} {
		plain, verified := filepath.Join(dir, "plain"), filepath.Join(dir, "verified")
		if _, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", level, "-o", plain); code != 0 {
			t.Fatal(errs)
		}
		out, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", level, "-o", verified, "--verify")
		if code != 0 || out != "" || errs != "" {
			t.Fatalf("%s --verify: exit %d, stdout %q, stderr %q", level, code, out, errs)
		}
		a, _ := os.ReadFile(plain)
		b, _ := os.ReadFile(verified)
		if string(a) != string(b) {
			t.Errorf("%s: the executable built with --verify differs", level)
		}
	}
}

// TestBuildVerbose: -v prints every phase with its time and the peak memory, then the
// total, to stderr.
func TestBuildVerbose(t *testing.T) {
	out, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", "-o", filepath.Join(t.TempDir(), "x"), "-v", "--verify")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	var names []string
	line := regexp.MustCompile(`^(\S+) +\d+\.\d ms  peak rss +\d+\.\d MB`)
	for _, l := range lines {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("line %q", l)
			continue
		}
		names = append(names, m[1])
	}
	if got := strings.Join(names, " "); got != "load lower link-rt codegen link write total" {
		t.Errorf("phases %q", got)
	}
	if !strings.Contains(errs, "(lower+passes ") || !strings.Contains(errs, ", select ") || !strings.Contains(errs, ", check ") {
		t.Errorf("codegen's stages are missing:\n%s", errs)
	}
}

// TestBuildProfiles writes both profiles.
func TestBuildProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	if _, errs, code := runCLI(t, "build", facWat, "--invoke", "fac_iter", "-o", filepath.Join(dir, "x"), "--cpuprofile", cpu, "--memprofile", mem); code != 0 {
		t.Fatal(errs)
	}
	for _, p := range []string{cpu, mem} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
}
