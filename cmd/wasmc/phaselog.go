package main

import (
	"fmt"
	"io"
	"runtime/metrics"
	"time"

	"github.com/wasmc/wasmc/driver"
)

// phaseLog prints -v's lines: each phase of a build with its time, the process's peak
// resident memory so far (getrusage's maxrss, which is what a user's machine has to hold)
// and the Go heap's live objects as the phase ends (what the compiler itself keeps).
type phaseLog struct {
	w       io.Writer
	elapsed time.Duration
	sample  []metrics.Sample
}

func newPhaseLog(w io.Writer) *phaseLog {
	return &phaseLog{w: w, sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
}

const mb = 1 << 20

// phase prints one phase.
func (l *phaseLog) phase(p driver.Phase) {
	l.elapsed += p.Time
	metrics.Read(l.sample)
	heap := float64(0)
	if s := l.sample[0].Value; s.Kind() == metrics.KindUint64 {
		heap = float64(s.Uint64()) / mb
	}
	fmt.Fprintf(l.w, "%-10s %9.1f ms  peak rss %7.1f MB  heap %7.1f MB", p.Name, ms(p.Time), float64(maxRSS())/mb, heap)
	if p.Detail != "" {
		fmt.Fprintf(l.w, "  (%s)", p.Detail)
	}
	fmt.Fprintln(l.w)
}

// total prints the sum of the phases.
func (l *phaseLog) total() {
	fmt.Fprintf(l.w, "%-10s %9.1f ms  peak rss %7.1f MB\n", "total", ms(l.elapsed), float64(maxRSS())/mb)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
