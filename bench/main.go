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
	gobig     bool
	hello     bool
	helloRuns int
	wasmc     string
	src       string
	cc        string
	keep      bool
	work      string // temporary directory for everything built
	wasmcRev  string // git revision of -src when wasmc was built from it
}

// allRunners are the runners besides native, in table order.
var allRunners = []string{"wasmc", "wazero", "wasmtime"}

func main() {
	var cfg config
	flag.IntVar(&cfg.n, "n", 5, "runs per measurement (the median is reported)")
	flag.StringVar(&cfg.kernels, "kernels", "", "comma-separated kernels (default all; none for no kernel table)")
	flag.StringVar(&cfg.runners, "runners", strings.Join(allRunners, ","), "comma-separated runners besides native")
	flag.BoolVar(&cfg.gobig, "gobig", true, "time compiling the large Go module")
	flag.BoolVar(&cfg.hello, "hello", true, "time hello-world start-up and compare sizes")
	flag.IntVar(&cfg.helloRuns, "hello-runs", 50, "runs for the start-up median")
	flag.StringVar(&cfg.wasmc, "wasmc", "", "wasmc executable (default: build it from -src)")
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
	kernels, err := selectKernels("kernels", cfg.kernels)
	if err != nil {
		return false, err
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
	needWasmc := slices.Contains(runners, "wasmc")
	if needWasmc && cfg.wasmc == "" {
		if cfg.wasmc, err = buildWasmc(cfg.src, filepath.Join(cfg.work, "wasmc")); err != nil {
			return false, err
		}
		cfg.wasmcRev = gitRevision(cfg.src)
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
	if cfg.gobig {
		f, err := gobigCompileTimes(cfg, runners, filepath.Join(cfg.src, "testdata/programs/gobig/gobig.wasm"))
		if err != nil {
			return failed, err
		}
		failed = f || failed
	}
	if cfg.hello {
		failed = helloStartup(cfg, needWasmc, "kernels/hello") || failed
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
