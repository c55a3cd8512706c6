package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"text/tabwriter"
	"time"
)

// helloStartup builds hello world with wasmc and gcc (static and dynamic),
// times exec to exit, and prints the sizes, raw and stripped. base is the
// path without extension of hello.c and hello.wasm. It reports a failure.
func helloStartup(cfg config, withWasmc bool, base string) (failed bool) {
	type build struct {
		name string
		args []string // the build command; its last output path is out
		out  string
	}
	out := func(s string) string { return filepath.Join(cfg.work, "hello."+s) }
	builds := []build{
		{"gcc -O2 -static", []string{cfg.cc, "-O2", "-static", "-o", out("static"), base + ".c"}, out("static")},
		{"gcc -O2 (dynamic)", []string{cfg.cc, "-O2", "-o", out("dynamic"), base + ".c"}, out("dynamic")},
	}
	// wasmc comes last: the static C binary, first, prints the reference.
	if withWasmc {
		builds = append(builds, build{"wasmc build -O2", []string{cfg.wasmc, "build", "-O2", base + ".wasm", "-o", out("wasmc")}, out("wasmc")})
	}
	fmt.Printf("\nhello world: start-up (exec to exit, median of %d) and size\n", cfg.helloRuns)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "built with\tstart-up\tsize\tstripped\t")
	var want []byte
	for _, b := range builds {
		fmt.Fprintf(os.Stderr, "hello: %s\n", b.name)
		if _, _, err := runTimed(exec.Command(b.args[0], b.args[1:]...)); err != nil {
			failed = true
			fmt.Fprintf(tw, "%s\tBUILD FAILED: %s\t\t\t\n", b.name, firstLine(err.Error()))
			continue
		}
		d, stdout, err := startup(b.out, cfg.helloRuns)
		switch {
		case err != nil:
			failed = true
			fmt.Fprintf(tw, "%s\tRUN FAILED: %s\t\t\t\n", b.name, firstLine(err.Error()))
			continue
		case b.out == out("static"):
			want = stdout
		case want != nil && !bytes.Equal(stdout, want):
			failed = true
			fmt.Fprintf(tw, "%s\tMISMATCH: printed %q, want %q\t\t\t\n", b.name, stdout, want)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", b.name, millis(d), size(b.out), strippedSize(b.out))
	}
	tw.Flush()
	return failed
}

// startup runs path n times and returns the median wall time and the output.
func startup(path string, n int) (time.Duration, []byte, error) {
	var times []time.Duration
	var stdout []byte
	for range n {
		out, d, err := runTimed(exec.Command(path))
		if err != nil {
			return 0, out, err
		}
		stdout = out
		times = append(times, d)
	}
	return median(times), stdout, nil
}

func size(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%d", fi.Size())
}

// strippedSize compares like with like: wasmc names every wasm function in
// its symbol table and gcc keeps libc's, and neither is needed to run.
func strippedSize(path string) string {
	out := path + ".stripped"
	if err := exec.Command("strip", "-o", out, path).Run(); err != nil {
		return "-"
	}
	return size(out)
}
