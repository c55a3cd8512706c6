package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"
)

// outcome is one runner's result on one kernel.
type outcome struct {
	compile time.Duration   // build or compile time, never part of times
	times   []time.Duration // one per run
	stdout  []byte          // the first run's output
	err     error           // the build or a run failed
	stage   string          // "build" or "run", for err
	wrong   []byte          // a run's output that differed from native's
}

// errNoReference marks outcomes that could not be checked because the
// native build, the reference, failed.
var errNoReference = errors.New("native failed, nothing to compare with")

// measureKernels runs every runner on every kernel, -n times each; the
// result is indexed [kernel][runner], native being runner 0.
func measureKernels(cfg config, rs []runner, ks []kernel) [][]outcome {
	results := make([][]outcome, len(ks))
	for i, k := range ks {
		results[i] = make([]outcome, len(rs))
		for j, r := range rs {
			fmt.Fprintf(os.Stderr, "%s: %s\n", k.name, r.name())
			var want []byte
			if j > 0 {
				if results[i][0].err != nil {
					results[i][j] = outcome{err: errNoReference, stage: "run"}
					continue
				}
				want = results[i][0].stdout
			}
			results[i][j] = measure(cfg.n, r, k, want)
		}
	}
	return results
}

// measure compiles k with r and runs it n times. A nil want means r is the
// reference itself; otherwise every run must print exactly want.
func measure(n int, r runner, k kernel, want []byte) outcome {
	var o outcome
	start := time.Now()
	p, err := r.compile(k)
	o.compile = time.Since(start)
	if err != nil {
		o.err, o.stage = err, "build"
		return o
	}
	defer p.close()
	for range n {
		// Collect garbage from the last run now, so the in-process engines
		// do not pay for it inside the next timed run.
		runtime.GC()
		out, elapsed, err := p.run()
		if err != nil {
			o.err, o.stage = err, "run"
			return o
		}
		if o.stdout == nil {
			o.stdout = out
		}
		if want != nil && !bytes.Equal(out, want) && o.wrong == nil {
			o.wrong = out
		}
		o.times = append(o.times, elapsed)
	}
	return o
}

// ok says whether o has times that belong in a ratio.
func (o outcome) ok() bool { return o.err == nil && o.wrong == nil }
