package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// median is robust against the odd slow run (a page-cache miss, another
// process) that a mean would smear over every kernel.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// geomean is the right mean for ratios: a 2x win and a 2x loss cancel.
func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, x := range xs {
		sum += math.Log(x)
	}
	return math.Exp(sum / float64(len(xs)))
}

// secs prints a duration in seconds with millisecond precision, one unit for
// the whole table so columns compare at a glance.
func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

// millis is for start-up and other short times.
func millis(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
