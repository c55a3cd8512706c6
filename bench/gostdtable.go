package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// printGoStdTables prints the run times with wasmc's ratio to each engine and
// the geometric mean of those ratios, then what compiling cost. Failures are
// FAILED cells explained under the table. It reports whether any happened.
func printGoStdTables(w io.Writer, n int, engines []string, pkgs []goStdPackage, results [][]goStdResult) (failed bool) {
	var ns notes
	withRatios := engines[0] == "wasmc"
	fmt.Fprintf(w, "\nGo standard-library tests (-test.short): run time, median of %d\n", n)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "package\t")
	for j, e := range engines {
		fmt.Fprint(tw, e, "\t")
		if withRatios && j > 0 {
			fmt.Fprint(tw, "wasmc/", e, "\t")
		}
	}
	fmt.Fprintln(tw)
	ratios := make([][]float64, len(engines))
	for i, p := range pkgs {
		fmt.Fprint(tw, p.pkg, "\t")
		base := results[i][0]
		for j, e := range engines {
			r := results[i][j]
			switch {
			case !r.ok():
				failed = true
				ref := ns.add("%s, %s, %s failed: %v", p.pkg, e, r.stage, r.err)
				fmt.Fprint(tw, strings.ToUpper(r.stage), " FAILED ", ref, "\t")
			default:
				fmt.Fprint(tw, secs(median(r.times)), "\t")
			}
			if !withRatios || j == 0 {
				continue
			}
			if !r.ok() || !base.ok() {
				fmt.Fprint(tw, "-\t")
				continue
			}
			ratio := median(base.times).Seconds() / median(r.times).Seconds()
			ratios[j] = append(ratios[j], ratio)
			fmt.Fprintf(tw, "%.2fx\t", ratio)
		}
		fmt.Fprintln(tw)
	}
	if withRatios && len(engines) > 1 {
		fmt.Fprint(tw, "geomean\t\t")
		for j := range engines[1:] {
			rs := ratios[j+1]
			cell := "-"
			if len(rs) > 0 {
				cell = fmt.Sprintf("%.2fx", geomean(rs))
			}
			if len(rs) < len(pkgs) {
				cell += fmt.Sprintf(" (%d of %d)", len(rs), len(pkgs))
			}
			fmt.Fprint(tw, "\t", cell, "\t")
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w, "(wasmc: exec to exit of the `wasmc build -O2` executable; wasmtime, wazero: instantiation plus _start"+
		" in a fresh child process of this bench, the module compiled beforehand; each run in the package's directory"+
		" and must exit 0 having printed PASS; wasmc/X below 1 is wasmc faster)")
	ns.print(w)

	fmt.Fprintln(w, "\ncompile time per test binary (once each, not in the run times)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "package\tmodule\t")
	for _, e := range engines {
		fmt.Fprint(tw, goStdCompilerName(e), "\t")
	}
	fmt.Fprintln(tw)
	for i, p := range pkgs {
		fmt.Fprintf(tw, "%s\t%.1f MB\t", p.pkg, float64(p.size)/1e6)
		for j := range engines {
			if r := results[i][j]; r.err != nil && r.stage == "build" {
				fmt.Fprint(tw, "failed\t")
			} else {
				fmt.Fprint(tw, secs(r.compile), "\t")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w, "(wasmc: the whole build process, executable written; wasmtime: NewModule, Cranelift, in a child process;"+
		" wazero: CompileModule, optimizing compiler, cache written, in a child process)")
	return failed
}

// goStdCompilerName names what the compile column measures.
func goStdCompilerName(engine string) string {
	switch engine {
	case "wasmc":
		return "wasmc build -O2"
	case "wasmtime":
		return "wasmtime NewModule"
	case "wazero":
		return "wazero CompileModule"
	}
	return engine
}
