package driver

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/wasmc/wasmc/ir"
)

// Inlining at -O2 (ir.Inline): which callees may be inlined is decided here, once, over the
// whole linked program, the runtime included, before compiling starts, so that what one
// function inlines never depends on what the other workers are doing (DESIGN.md decision 9).
// The plan reads every body's calls and size from its source without building it
// (ir.BodySource.Calls), in parallel: a scan of the code, much cheaper than lowering it.
//
// A callee is inlinable when it is defined, does not call itself, and is small (at most
// inlineSmall instructions, estimated), or is called from one site only and at most
// inlineOnce. A callee called once may still be exported or in a table, so it keeps its
// own code and the inlined copy costs compile time: inlineOnce bounds that cost. Each
// caller may grow by its own size or by inlineGrowth instructions, whichever is more
// (ir.Inliner.Growth), so the whole program at most doubles plus a constant per function.
//
// The inliner builds a copy of a callee's body from its source, once, when a caller first
// needs it, and every caller splices that copy in, only reading it; the callee's own
// ir.Func is never touched, as another worker may be compiling it at that moment. Sources
// are safe to build from concurrently, into different Funcs, even for one function
// (ir.BodySource). A function whose body was built whole (generated code such as the
// runtime's intrinsics, or a module lowered whole, as a .wast script's are) is
// snapshotted (ir.Snapshot) before compiling starts, if it is inlinable. The copies live
// until the program is compiled: at most inlineOnce instructions per inlinable callee,
// a small part of what the module's machine code takes.

// A copy is itself built with its calls to leaves inlined: functions of at most
// inlineLeaf instructions that call nothing, such as the runtime's intrinsics
// (host_load64 is one hostload). Otherwise a runtime routine inlined into its caller
// would call them from there, as wasmc_memory_range inlined into wasmc_memory_init
// called memory_descriptor and host_load64 once per data segment. Leaves call nothing,
// so this stays two levels deep.

// The plan's limits, in estimated IR instructions (ir.BodySize).
const (
	inlineSmall  = 40  // inlined at any call site
	inlineOnce   = 120 // inlined at the only call site there is
	inlineLeaf   = 8   // inlined into the copies of other callees too
	inlineGrowth = 400 // the least a caller may gain (ir.Inliner.Growth)
)

// inlineCallee is what the plan keeps of an inlinable function to build copies of its body.
type inlineCallee struct {
	name  string
	sig   ir.Signature
	src   ir.BodySource
	cost  int // the estimate
	limit int // the limit it was planned under, inlineSmall or inlineOnce
	// body is the copy every caller splices in (ir.Inliner.Body), built when the first
	// caller asks for it: lowered once, not once per caller. It stays nil when it fails
	// to build or turns out over twice the limit, which an estimate can miss (a branch
	// carrying a thousand values). Either way it is what the callee's source says, so the
	// outcome never depends on which worker built it.
	//
	// users counts the distinct callers that have not yet inlined (ir.Inliner.Done);
	// at zero the copy goes, so that copies of many small functions do not pile up until
	// the end (100,000 one-line functions kept 400 MB of them, and the collector then
	// ran all the time). A caller that asks after all, which a count that missed it
	// would allow, gets the same copy built again.
	mu    sync.Mutex
	built bool
	body  *ir.Func
	users int32
}

// planInline plans inlining for linked program m, whose process entry calls steps. It
// must run before compiling starts: it reads, and snapshots, the bodies built whole.
//
// The steps inline nothing. Each runs once, so a call it makes costs nothing worth
// saving, and most are wrappers the driver generates around the function a user asked
// for (--invoke's, a .wast script's, an instantiation calling the start function): a
// trap there must be reported in that function, which inlining would hide behind the
// wrapper's name.
func (b *build) planInline(m *ir.Module, steps []uint32) {
	b.inline = newInliner(m)
	b.noInline = make(map[*ir.Func]bool, len(steps))
	for _, s := range steps {
		b.noInline[m.Funcs[s]] = true
	}
}

// newInliner returns the inliner for linked program m.
func newInliner(m *ir.Module) *ir.Inliner {
	n := len(m.Funcs)
	size := make([]int, n)
	self := make([]bool, n)
	calls := make([]bool, n) // the function calls some function
	failed := make([]bool, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	sites := make([][]int32, workers)   // call sites per callee, counted by each worker
	callers := make([][]int32, workers) // distinct callers per callee, likewise
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		sites[w] = make([]int32, n)
		callers[w] = make([]int32, n)
		wg.Go(func() {
			count, distinct := sites[w], callers[w]
			last := make([]int32, n) // 1 + the caller that last counted in distinct

			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f := m.Funcs[i]
				if f == nil || f.IsImport() {
					continue
				}
				var err error
				size[i], err = f.Calls(func(c uint32) {
					calls[i] = true
					if int(c) < n {
						count[c]++
						if last[c] != int32(i)+1 {
							last[c] = int32(i) + 1
							distinct[c]++
						}
						self[i] = self[i] || int(c) == i
					}
				})
				failed[i] = err != nil // the function's own compilation will say why
			}
		})
	}
	wg.Wait()
	callees := make([]*inlineCallee, n)
	for i, f := range m.Funcs {
		if f == nil || f.IsImport() || self[i] || failed[i] || len(f.Layout) == 0 && f.Source == nil {
			continue
		}
		calls, users := int32(0), int32(0)
		for w, count := range sites {
			calls += count[i]
			users += callers[w][i]
		}
		if calls == 0 || size[i] > inlineSmall && (calls > 1 || size[i] > inlineOnce) {
			continue
		}
		src := f.Source
		if src == nil {
			src = ir.Snapshot(f)
		}
		limit := inlineOnce
		if size[i] <= inlineSmall {
			limit = inlineSmall
		}
		callees[i] = &inlineCallee{name: f.Name, sig: f.Sig, src: src, cost: size[i], limit: limit, users: users}
	}
	body := func(c uint32, leaves *ir.Inliner) *ir.Func {
		g := callees[c]
		g.mu.Lock()
		defer g.mu.Unlock()
		if !g.built {
			h := &ir.Func{Name: g.name, Sig: g.sig, Module: m, Source: g.src}
			if h.Load() == nil && ir.BodySize(h) <= 2*g.limit {
				if calls[c] {
					ir.Inline(h, leaves)
				}
				g.body = h
			}
			g.built = true
		}
		return g.body
	}
	leaves := &ir.Inliner{
		Cost: func(c uint32) int {
			if int(c) >= n || callees[c] == nil || calls[c] || callees[c].cost > inlineLeaf {
				return -1
			}
			return callees[c].cost
		},
		Body:   func(c uint32) *ir.Func { return body(c, nil) },
		Growth: inlineGrowth,
	}
	return &ir.Inliner{
		Cost: func(c uint32) int {
			if int(c) >= n || callees[c] == nil {
				return -1
			}
			return callees[c].cost
		},
		Body: func(c uint32) *ir.Func { return body(c, leaves) },
		Done: func(c uint32) {
			g := callees[c]
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.users--; g.users <= 0 {
				g.body, g.built = nil, false
			}
		},
		Growth: inlineGrowth,
	}
}
