package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// notes numbers the problems the tables point at, so a cell stays short and
// the full error is printed once under the table.
type notes []string

func (n *notes) add(format string, args ...any) string {
	*n = append(*n, fmt.Sprintf(format, args...))
	return fmt.Sprintf("[%d]", len(*n))
}

func (n notes) print(w io.Writer) {
	for i, s := range n {
		fmt.Fprintf(w, "[%d] %s\n", i+1, strings.ReplaceAll(s, "\n", "\n    "))
	}
}

// printKernelTables prints run times with ratios to native and the geometric
// mean per runner, then compile times. It reports whether anything failed.
func printKernelTables(w io.Writer, rs []runner, ks []kernel, results [][]outcome) (failed bool) {
	var ns notes
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kernel\t", rs[0].name(), "\t")
	for _, r := range rs[1:] {
		fmt.Fprint(tw, r.name(), "\t×native\t")
	}
	fmt.Fprintln(tw)
	ratios := make([][]float64, len(rs))
	for i, k := range ks {
		fmt.Fprint(tw, k.name, "\t")
		base := results[i][0]
		for j, r := range rs {
			o := results[i][j]
			switch {
			case errors.Is(o.err, errNoReference):
				fmt.Fprint(tw, "-\t-\t")
				continue
			case o.err != nil:
				failed = true
				ref := ns.add("%s, %s, %s failed: %v", k.name, r.name(), o.stage, o.err)
				fmt.Fprint(tw, strings.ToUpper(o.stage), " FAILED ", ref, "\t")
				if j > 0 {
					fmt.Fprint(tw, "-\t")
				}
				continue
			}
			fmt.Fprint(tw, secs(median(o.times)), "\t")
			if j == 0 {
				continue
			}
			if o.wrong != nil {
				failed = true
				ref := ns.add("%s, %s printed %q; native printed %q", k.name, r.name(), o.wrong, base.stdout)
				fmt.Fprint(tw, "MISMATCH ", ref, "\t")
				continue
			}
			ratio := median(o.times).Seconds() / median(base.times).Seconds()
			ratios[j] = append(ratios[j], ratio)
			fmt.Fprintf(tw, "%.2fx\t", ratio)
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "geomean\t\t")
	for j := range rs[1:] {
		rs := ratios[j+1]
		cell := "-"
		if len(rs) > 0 {
			cell = fmt.Sprintf("%.2fx", geomean(rs))
		}
		if len(rs) < len(ks) {
			cell += fmt.Sprintf(" (%d of %d)", len(rs), len(ks))
		}
		fmt.Fprint(tw, "\t", cell, "\t")
	}
	fmt.Fprintln(tw)
	tw.Flush()
	fmt.Fprintln(w, "(median wall time of one run; ×native is that over native's median)")
	ns.print(w)

	fmt.Fprintln(w, "\ncompile time per kernel (once each; gcc, wasmc and wasm2c+gcc include their processes' start)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "kernel\t")
	for _, r := range rs {
		fmt.Fprint(tw, compilerName(r), "\t")
	}
	fmt.Fprintln(tw)
	for i, k := range ks {
		fmt.Fprint(tw, k.name, "\t")
		for j := range rs {
			o := results[i][j]
			switch {
			case errors.Is(o.err, errNoReference):
				fmt.Fprint(tw, "-\t")
			case o.err != nil && o.stage == "build":
				fmt.Fprint(tw, "failed\t")
			default:
				fmt.Fprint(tw, secs(o.compile), "\t")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	return failed
}

// compilerName names what compile measures for r.
func compilerName(r runner) string {
	switch r.name() {
	case "native":
		return "gcc -O2"
	case "wasmc":
		return "wasmc -O2"
	case "wasmc-explicit":
		return "wasmc explicit"
	case "wasmc-O0":
		return "wasmc -O0"
	case "wasm2c":
		return "wasm2c+gcc" // the translation and the C compile
	}
	return r.name()
}
