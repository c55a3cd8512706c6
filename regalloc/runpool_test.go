package regalloc

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// runAllocations allocates f with Run once to fill the pools, then rounds times more,
// releasing each Result as a backend does once applied if release is set, and returns the
// allocations and bytes per run, per instruction or block (whichever there are more of).
func runAllocations(t *testing.T, f *testFunc, cfg *Config, release bool) (allocs float64, bytes int) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pools are per processor
	units := max(len(f.instrs), len(f.blocks))
	want, err := runChecked(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantText := f.format(cfg, want)
	r, err := Run(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.Release()
	const rounds = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range rounds {
		r, err := Run(f, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if release {
			r.Release()
		}
	}
	runtime.ReadMemStats(&after)
	r, err = Run(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.format(cfg, r); got != wantText {
		t.Errorf("the allocation with reused tables differs:\n%s\nwant\n%s", got, wantText)
	}
	allocs = float64(after.Mallocs-before.Mallocs) / rounds / float64(units)
	bytes = int(after.TotalAlloc-before.TotalAlloc) / rounds / units
	return allocs, bytes
}

// TestRunReusesTables allocates each hostile function again and again with Run, as a
// worker allocates one function after another, and bounds the allocations and bytes a
// run makes per instruction or block (issue 21): the tables, intervals, spans and uses of
// the previous run are reused, so that only what the Result holds is new (6 to 92 bytes).
// Before, each run built them afresh, an interval, its spans and its uses each grown by
// append: 2.9 to 14.5 allocations an instruction or block, and 370 to 970 bytes.
func TestRunReusesTables(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		f, err := parseFunc(h.gen(300))
		if err != nil {
			t.Fatal(err)
		}
		allocs, bytes := runAllocations(t, f, cfg, false)
		t.Logf("%s: %.3f allocations, %d bytes an instruction or block", h.name, allocs, bytes)
		if allocs > 0.05 {
			t.Errorf("%s: Run made %.3f allocations an instruction or block, more than 0.05", h.name, allocs)
		}
		if bytes > 128 {
			t.Errorf("%s: Run allocated %d bytes an instruction or block, more than 128", h.name, bytes)
		}
	}
}

// TestRunReusesResult: a released Result's arrays (the edits, each operand's location,
// where each instruction's operands start, the slots) are what the next Run fills
// (issue 21), as RunFast's are (TestRunFastReusesResult), so that with its tables reused
// too a run allocates almost nothing (no byte an instruction or block, 0.001 to 0.003
// allocations). Before, released or not, a Result was new each time.
func TestRunReusesResult(t *testing.T) {
	cfg, _ := parseConfig("")
	for _, h := range hostile {
		f, err := parseFunc(h.gen(300))
		if err != nil {
			t.Fatal(err)
		}
		allocs, bytes := runAllocations(t, f, cfg, true)
		t.Logf("%s: %.3f allocations, %d bytes an instruction or block", h.name, allocs, bytes)
		if allocs > 0.05 {
			t.Errorf("%s: Run made %.3f allocations an instruction or block, more than 0.05", h.name, allocs)
		}
		if bytes > 8 {
			t.Errorf("%s: Run allocated %d bytes an instruction or block, more than 8", h.name, bytes)
		}
	}
}

// TestRunConcurrent allocates the hostile functions from several goroutines at once, as
// the backend's workers do, each Run taking the tables another left in the pool, and
// releasing its Result for another to fill: every allocation must be the one a lone Run
// gives. Under the race detector it also shows that runs share nothing but the pools.
func TestRunConcurrent(t *testing.T) {
	cfg, _ := parseConfig("")
	var funcs []*testFunc
	var want []string
	for _, h := range hostile {
		for _, n := range []int{5, 40, 120} {
			f, err := parseFunc(h.gen(n))
			if err != nil {
				t.Fatal(err)
			}
			r, err := runChecked(f, cfg)
			if err != nil {
				t.Fatal(err)
			}
			funcs, want = append(funcs, f), append(want, f.format(cfg, r))
		}
	}
	const workers, rounds = 4, 3
	errs := make(chan string, workers*rounds*len(funcs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range rounds * len(funcs) {
				i := (k + w) % len(funcs) // each worker in another order
				r, err := Run(funcs[i], cfg)
				if err != nil {
					errs <- err.Error()
					continue
				}
				if got := funcs[i].format(cfg, r); got != want[i] {
					errs <- fmt.Sprintf("function %d: allocation differs:\n%s\nwant\n%s", i, got, want[i])
				}
				r.Release()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
