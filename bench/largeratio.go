package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// largeResults holds the medians of the large table by module and compiler row, so that
// the ratios the compile-speed goals are stated in (issue 21) come out of the same run
// rather than being worked out by hand from it.
type largeResults map[string]map[string]largeMedian

type largeMedian struct{ wall, cpu time.Duration }

func rowKey(c compiler) string { return c.name + "/" + c.cores }

func (r largeResults) add(module string, c compiler, wall, cpu time.Duration) {
	if r[module] == nil {
		r[module] = map[string]largeMedian{}
	}
	r[module][rowKey(c)] = largeMedian{wall, cpu}
}

// printLargeRatios prints, per module and wasmc row on all cores, MB per CPU-second as a
// multiple of wazero's and Wasmtime's (the module's size cancels: their CPU over this
// row's), and the wall time on one core over that on all of them. A cell whose rows
// failed or were not run is "-".
func printLargeRatios(cs []compiler, ms []largeModule, got largeResults) {
	var peers, rows []compiler
	for _, c := range cs {
		switch {
		case c.name == "wazero" || c.name == "wasmtime":
			peers = append(peers, c)
		case strings.HasPrefix(c.name, "wasmc") && c.cores != "1":
			rows = append(rows, c)
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Println("\ncompile speed as ratios, from the medians above")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "module\tcompiler\t")
	for _, p := range peers {
		fmt.Fprintf(tw, "MB/CPU-s ÷ %s's\t", p.name)
	}
	fmt.Fprintln(tw, "wall 1 core ÷ all\t")
	for _, m := range ms {
		res := got[m.name]
		label := m.name
		for _, c := range rows {
			fmt.Fprintf(tw, "%s\t%s\t", label, c.name)
			label = ""
			own, ok := res[rowKey(c)]
			for _, p := range peers {
				peer, pok := res[rowKey(p)]
				fmt.Fprintf(tw, "%s\t", ratioCell(peer.cpu, own.cpu, ok && pok))
			}
			one, ook := res[c.name+"/1"]
			fmt.Fprintf(tw, "%s\t\n", ratioCell(one.wall, own.wall, ok && ook))
		}
	}
	tw.Flush()
}

func ratioCell(num, den time.Duration, ok bool) string {
	if !ok || den <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", num.Seconds()/den.Seconds())
}
