package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress reports how far a long build is on one line of a terminal, which it rewrites:
// the phase, and during code generation the functions compiled of the total. It says
// nothing for the first second, so a quick build prints nothing at all, and nothing when
// stderr is not a terminal, so logs and pipes never see it; -q turns it off.
type progress struct {
	w            io.Writer
	delay, every time.Duration

	mu           sync.Mutex
	phase        string
	done, total  int
	shown        bool // a line is on the terminal, to be cleared
	stop, exited chan struct{}
}

// startProgress starts reporting to w when w is a terminal and quiet is false; otherwise it
// returns nil, whose methods do nothing.
func startProgress(w io.Writer, quiet bool) *progress {
	f, ok := w.(*os.File)
	if quiet || !ok || !isTerminal(f) {
		return nil
	}
	return newProgress(w, time.Second, 200*time.Millisecond)
}

// newProgress reports to w after delay and every period after that, until end.
func newProgress(w io.Writer, delay, every time.Duration) *progress {
	p := &progress{w: w, delay: delay, every: every, stop: make(chan struct{}), exited: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.exited)
	t := time.NewTimer(p.delay)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.print()
			t.Reset(p.every)
		}
	}
}

// update is driver.Options.Progress: it records where the build is, for the next line.
func (p *progress) update(phase string, done, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.phase, p.done, p.total = phase, done, total
	p.mu.Unlock()
}

// print rewrites the line.
func (p *progress) print() {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := "wasmc: " + p.phase
	if p.total > 0 {
		line += fmt.Sprintf(" %d/%d functions (%d%%)", p.done, p.total, 100*p.done/p.total)
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.shown = true
}

// end stops reporting and clears the line, so that what follows starts on a clean one.
func (p *progress) end() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.exited
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// callback returns the function for driver.Options.Progress, nil when there is no report.
func (p *progress) callback() func(string, int, int) {
	if p == nil {
		return nil
	}
	return p.update
}
