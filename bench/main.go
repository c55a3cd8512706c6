package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// config holds the flags; it travels as a value so nothing reads globals.
type config struct {
	n         int
	kernels   string
	runners   string
	large     string
	hostile   string
	simd      bool
	gostd     string
	hello     bool
	helloRuns int
	wasmc     string
	wasmcBase string
	src       string
	cc        string
	keep      bool
	work      string // temporary directory for everything built
	wasmcRev  string // git revision of -src when wasmc was built from it
}

// allRunners are the runners besides native, in table order: wasmc, then
// the other ahead-of-time compiler, then the engines.
var allRunners = []string{"wasmc", "wasmc-explicit", "wasmc-O0", "wasm2c", "wazero", "wasmtime"}

func main() {
	// Not a flag, so -help does not list it: the large part re-executes this
	// binary in this mode to measure an engine's compile in its own process.
	if len(os.Args) == 2 && os.Args[1] == launcherFlag {
		os.Exit(serveLauncher())
	}
	if len(os.Args) == 3 && os.Args[1] == compileChildFlag {
		os.Exit(compileChild(os.Args[2]))
	}
	// Likewise for the gostd part, to compile or run one Go test binary.
	if len(os.Args) == 3 && os.Args[1] == engineChildFlag {
		os.Exit(engineChild(os.Args[2]))
	}
	var cfg config
	flag.IntVar(&cfg.n, "n", 5, "runs per measurement (the median is reported)")
	flag.StringVar(&cfg.kernels, "kernels", "", "comma-separated kernels (default all; none for no kernel table)")
	flag.BoolVar(&cfg.simd, "simd", false, "give the WebAssembly runners the kernels built with -msimd128 (kernels/NAME.simd.wasm); the native build is gcc -O2 as always, with its own vectorization")
	flag.StringVar(&cfg.runners, "runners", strings.Join(allRunners, ","), "comma-separated runners besides native")
	flag.StringVar(&cfg.large, "large", "gobig,json,http", "comma-separated large modules whose compile cost to measure (none for no table)")
	flag.StringVar(&cfg.hostile, "hostile", "none", "comma-separated generated worst cases whose compile cost to measure against gobig's (all for every one; default none)")
	flag.StringVar(&cfg.gostd, "gostd", "", "comma-separated standard-library packages whose wasip1 tests to time under wasmc and the engines (all for the 15 of cmd/wasmc's TestGoStdlib; default none)")
	flag.BoolVar(&cfg.hello, "hello", true, "time hello-world start-up and compare sizes")
	flag.IntVar(&cfg.helloRuns, "hello-runs", 50, "runs for the start-up median")
	flag.StringVar(&cfg.wasmc, "wasmc", "", "wasmc executable (default: build it from -src)")
	flag.StringVar(&cfg.wasmcBase, "wasmc-base", "", "a second wasmc executable whose compile cost to show as wasmc(base)")
	flag.StringVar(&cfg.src, "src", "..", "wasmc checkout to build wasmc from")
	flag.StringVar(&cfg.cc, "cc", "gcc", "C compiler for the native builds")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the work directory")
	flag.Parse()
	failed, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if failed {
		fmt.Println("\nFAILED: some runner failed or printed a different checksum (see above)")
		os.Exit(1)
	}
}

// run does the whole benchmark. failed reports a runner's failure or wrong
// output; err is reserved for problems that stop the run (a bad flag, no C
// compiler, wasmc not building).
func run(cfg config) (failed bool, err error) {
	if cfg.n < 1 || cfg.helloRuns < 1 {
		return false, fmt.Errorf("-n and -hello-runs must be at least 1")
	}
	runners, err := selectRunners(cfg.runners)
	if err != nil {
		return false, err
	}
	kernels, err := selectKernels("kernels", cfg.kernels, cfg.simd)
	if err != nil {
		return false, err
	}
	large, err := selectLarge(cfg.large)
	if err != nil {
		return false, err
	}
	hostile, err := selectHostile(cfg.hostile)
	if err != nil {
		return false, err
	}
	if cfg.wasmcBase != "" {
		// Absolute, so exec runs this file and not one found on PATH.
		if _, err := os.Stat(cfg.wasmcBase); err != nil {
			return false, fmt.Errorf("-wasmc-base: %w", err)
		}
		if cfg.wasmcBase, err = filepath.Abs(cfg.wasmcBase); err != nil {
			return false, err
		}
	}
	if len(large) > 0 || len(hostile) > 0 {
		// Before anything grows this process (launcher.go).
		if err := startLauncher(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: no launcher, peak RSS may count this process:", err)
		}
	}
	cfg.work, err = os.MkdirTemp("", "wasmc-bench-")
	if err != nil {
		return false, err
	}
	if cfg.keep {
		fmt.Println("work directory:", cfg.work)
	} else {
		defer os.RemoveAll(cfg.work)
	}
	needWasmc := slices.Contains(runners, "wasmc") // the hello and large tables measure this one
	if (len(hostile) > 0 || slices.ContainsFunc(runners, func(r string) bool { _, ok := wasmcFlags[r]; return ok })) && cfg.wasmc == "" {
		if cfg.wasmc, err = buildWasmc(cfg.src, filepath.Join(cfg.work, "wasmc")); err != nil {
			return false, err
		}
		cfg.wasmcRev = gitRevision(cfg.src)
	}
	if err := prepareLarge(cfg, large); err != nil {
		return false, err
	}
	gostd, err := prepareGoStd(cfg, selectGoStd(cfg.gostd))
	if err != nil {
		return false, err
	}
	printVersions(cfg, runners)

	if len(kernels) > 0 {
		rs, err := newRunners(cfg, runners)
		if err != nil {
			return false, err
		}
		results := measureKernels(cfg, rs, kernels)
		closeRunners(rs)
		failed = printKernelTables(os.Stdout, rs, kernels, results) || failed
	}
	if len(large) > 0 {
		cs, err := largeCompilers(cfg, runners)
		if err != nil {
			return failed, err
		}
		if len(cs) > 0 { // -runners may have left no compiler
			failed = largeCompileCost(cfg, cs, large) || failed
		}
	}
	if len(hostile) > 0 {
		failed = hostileCompileCost(cfg, hostile) || failed
	}
	if cfg.hello {
		failed = helloStartup(cfg, needWasmc, "kernels/hello") || failed
	}
	if len(gostd) > 0 {
		failed = goStdRun(cfg, runners, gostd) || failed
	}
	return failed, nil
}

// selectRunners parses -runners, keeping table order and rejecting typos
// rather than silently measuring less.
func selectRunners(list string) ([]string, error) {
	var out []string
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || name == "native" {
			continue
		}
		if !slices.Contains(allRunners, name) {
			return nil, fmt.Errorf("unknown runner %q (have native, %s)", name, strings.Join(allRunners, ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(allRunners, a) - slices.Index(allRunners, b)
	})
	return out, nil
}
