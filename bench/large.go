package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// largeModule is one module whose compile cost the large part measures: a
// committed Go program, or the test binary of a standard-library package,
// which is far bigger than any program we commit.
type largeModule struct {
	name string // as -large names it
	pkg  string // the package whose test binary it is; "" for gobig
	path string // the .wasm, set by prepareLarge
	size int64  // bytes, set by prepareLarge
}

// allLarge are the modules -large chooses from, in table order.
var allLarge = []largeModule{
	{name: "gobig"},
	{name: "json", pkg: "encoding/json"},
	{name: "http", pkg: "net/http"},
}

// selectLarge parses -large: names from allLarge (or their package paths),
// or "none". Typos are errors rather than silently measuring less.
func selectLarge(list string) ([]largeModule, error) {
	if list == "none" {
		return nil, nil
	}
	var out []largeModule
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		i := slices.IndexFunc(allLarge, func(m largeModule) bool { return name == m.name || name == m.pkg })
		if i < 0 {
			return nil, fmt.Errorf("unknown module %q in -large (have gobig, json, http, or none)", name)
		}
		if !slices.ContainsFunc(out, func(m largeModule) bool { return m.name == allLarge[i].name }) {
			out = append(out, allLarge[i])
		}
	}
	return out, nil
}

// prepareLarge finds gobig.wasm and builds the test binaries into the work
// directory with the go on PATH, before anything is timed, so a module that
// cannot exist stops the run (exit 2) instead of failing late.
func prepareLarge(cfg config, ms []largeModule) error {
	for i := range ms {
		m := &ms[i]
		if m.pkg == "" {
			m.path = filepath.Join(cfg.src, "testdata/programs/gobig/gobig.wasm")
		} else {
			m.path = filepath.Join(cfg.work, m.name+".test.wasm")
			fmt.Fprintf(os.Stderr, "large: go test -c %s\n", m.pkg)
			cmd := exec.Command("go", "test", "-c", "-o", m.path, m.pkg)
			cmd.Dir = cfg.work // outside any module: the package is std's
			cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOWORK=off")
			if msg, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("building the %s test binary: %v\n%s", m.pkg, err, msg)
			}
		}
		fi, err := os.Stat(m.path)
		if err != nil {
			return err
		}
		m.size = fi.Size()
	}
	return nil
}

// compiler is one way of compiling a module, as a command whose process is
// measured from exec to exit.
type compiler struct {
	name  string // table label
	cores string // what the cores column shows
	cmd   func(m largeModule, out string) *exec.Cmd
}

// largeCompilers lists wasmc at -O0, -O1 and -O2, each with all cores and with
// GOMAXPROCS=1 (with the base binary's row under each of the current's),
// then wazero and Wasmtime in child processes of this binary.
func largeCompilers(cfg config, runners []string) ([]compiler, error) {
	type bin struct{ label, path string }
	var bins []bin
	if slices.Contains(runners, "wasmc") {
		bins = append(bins, bin{"wasmc", cfg.wasmc})
	}
	if cfg.wasmcBase != "" {
		bins = append(bins, bin{"wasmc(base)", cfg.wasmcBase})
	}
	all := fmt.Sprint(runtime.GOMAXPROCS(0)) // what a child gets by default
	var cs []compiler
	for _, level := range []string{"-O0", "-O1", "-O2"} {
		for _, one := range []bool{false, true} {
			for _, b := range bins {
				c := compiler{name: b.label + " " + level, cores: all}
				if one {
					c.cores = "1"
				}
				c.cmd = func(m largeModule, out string) *exec.Cmd {
					// --trap-unknown-imports: the executable never runs,
					// so imports wasmc does not provide must not stop the
					// build whose cost is measured.
					cmd := exec.Command(b.path, "build", level, "--trap-unknown-imports", m.path, "-o", out)
					if one {
						cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
					}
					return cmd
				}
				cs = append(cs, c)
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	for _, r := range runners {
		if r == "wazero" || r == "wasmtime" {
			cs = append(cs, compiler{name: r, cores: all, cmd: func(m largeModule, _ string) *exec.Cmd {
				return exec.Command(self, compileChildFlag, r+":"+m.path)
			}})
		}
	}
	return cs, nil
}

// largeCompileCost compiles every module with every compiler -n times and
// prints one table. It reports whether a compiler failed.
func largeCompileCost(cfg config, cs []compiler, ms []largeModule) (failed bool) {
	fmt.Printf("\ncompile cost of large modules, median of %d\n", cfg.n)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "module\tcompiler\tcores\twall\tCPU\tMB/s\tMB/CPU-s\tpeak RSS\t×module\t")
	got := make(largeResults)
	for _, m := range ms {
		mb := float64(m.size) / 1e6
		label := fmt.Sprintf("%s (%.1f MB)", m.name, mb)
		out := filepath.Join(cfg.work, m.name+".out")
		for _, c := range cs {
			fmt.Fprintf(os.Stderr, "large: %s: %s, GOMAXPROCS=%s\n", m.name, c.name, c.cores)
			fmt.Fprintf(tw, "%s\t%s\t%s\t", label, c.name, c.cores)
			label = "" // the module names its first row only
			var walls, cpus []time.Duration
			var peak int64
			var err error
			for range cfg.n {
				var u usage
				if u, err = runMeasured(c.cmd(m, out)); err != nil {
					break
				}
				walls, cpus, peak = append(walls, u.wall), append(cpus, u.cpu), max(peak, u.maxRSS)
			}
			os.Remove(out) // executables of big modules add up
			if err != nil {
				failed = true
				fmt.Fprintf(tw, "FAILED: %s\t\t\t\t\t\t\n", firstLine(err.Error()))
				continue
			}
			wall, cpu := median(walls), median(cpus)
			got.add(m.name, c, wall, cpu)
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%.0f MB\t%.1fx\t\n", secs(wall), secs(cpu),
				mb/wall.Seconds(), mb/cpu.Seconds(), float64(peak)/1e6, float64(peak)/float64(m.size))
		}
	}
	tw.Flush()
	fmt.Println("(wall: exec to exit; CPU: user+sys of that process; MB/s and MB/CPU-s: module MB per second of each;" +
		" peak RSS: the highest maxrss of the -n processes, in MB and as a multiple of the module's size;" +
		" cores: GOMAXPROCS, though Wasmtime compiles on a thread pool of its own, one thread per core)")
	fmt.Println("(wasmc: the whole `wasmc build -O? --trap-unknown-imports` process, executable written;" +
		" wazero: CompileModule, compiler, fresh runtime; wasmtime: NewModule, fresh engine;" +
		" each engine in a child process of this bench that reads the module, compiles it and exits)")
	printLargeRatios(cs, ms, got)
	return failed
}
