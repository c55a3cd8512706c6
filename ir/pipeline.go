package ir

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
)

// Pass is one step of the optimization pipeline: a function that rewrites one [Func] in
// place and keeps no state between calls, so functions can be optimized in parallel.
type Pass struct {
	// Name identifies the pass in dumps, errors and passOrder: unique within a pipeline,
	// and a pass that runs twice is "fold" then "fold-late".
	Name string
	Run  func(f *Func)
}

// Passes returns the scalar passes of an optimization level, as a new slice the caller
// may keep or change; [Pipeline] puts inlining before them. Level 0 (and below) runs
// nothing: the backends take any valid IR, and -O0 exists to compile fast and to test
// them on unoptimized code. Level 1 does the cheap, local clean-up that removes most of
// what lowering leaves behind. Level 2 (and above) adds the global passes:
//
//	fold             constants, identities and branches on constants, before anything
//	                 else sees them; canonical operand order for GVN
//	copyprop         copies, and parameters made trivial by branches fold removed
//	simplifycfg      merged blocks give GVN and BCE longer dominator chains
//	gvn              one value per expression, including addresses and trapif conditions
//	rle              loads of what a dominating load or store already had, globals
//	                 likewise, at the address values GVN merged
//	licm             then hoists each invariant expression once
//	bce              checks on the same address value, which GVN made one
//	slp              the copies of an unrolled loop body as vector ops, in a loop
//	                 version the preheader chooses when its accesses allow
//	thread           edges passing a constant to a dispatch block (Go's resume-point
//	                 brtable) go straight to the block it picks, where the loops stay
//	                 natural
//	promote          values a single-block loop keeps at invariant addresses, in
//	                 registers, in a copy of the loop the preheader picks when a check
//	                 shows nothing else there overlaps them and every access in bounds
//	fold-late        what GVN made foldable: x-x, x^x, icmp x, x on merged operands
//	copyprop-late    parameters passed the same (merged) constant on every edge
//	exitvalues       a stepped loop parameter read after the loop as its next value
//	                 minus the step, so that it dies in the loop; after fold, which
//	                 would fold (p + c) - c back to p
//	dce              instructions and parameters the passes above left unused
//	simplifycfg-late empty preheaders, and blocks dce emptied
func Passes(level int) []Pass {
	switch {
	case level <= 0:
		return nil
	case level == 1:
		return []Pass{
			{"fold", Fold},
			{"copyprop", CopyProp},
			{"dce", DCE},
			{"simplifycfg", SimplifyCFG},
		}
	}
	return []Pass{
		{"fold", Fold},
		{"copyprop", CopyProp},
		{"simplifycfg", SimplifyCFG},
		{"gvn", GVN},
		{"rle", RLE},
		{"licm", LICM},
		{"bce", BCE},
		{"slp", SLP},
		{"thread", Thread},
		{"promote", Promote},
		{"fold-late", Fold},
		{"copyprop-late", CopyProp},
		{"exitvalues", ExitValues},
		{"dce", DCE},
		{"simplifycfg-late", SimplifyCFG},
	}
}

// Pipeline returns the passes [RunPipeline] runs for cfg: at level 2 and above, when
// cfg.Inline is set, "inline" ([Inline]) and then [Passes] of the level. Inlining needs
// what only the caller of the pipeline has, the other functions' bodies, so it is not
// in Passes; it runs first because every scalar pass gains from seeing through calls
// (passOrder) and none of them changes what a call is.
func Pipeline(cfg Config) []Pass {
	passes := Passes(cfg.Level)
	if cfg.Level < 2 || cfg.Inline == nil {
		return passes
	}
	il := cfg.Inline
	return append([]Pass{{"inline", func(f *Func) { Inline(f, il) }}}, passes...)
}

// passOrder lists the constraints every pipeline must meet, each with its reason, the
// way Go's cmd/compile/internal/ssa/compile.go does; TestPipelineOrder checks them.
// Names are base names ("fold" covers "fold-late"). A plain pair means b needs what a
// establishes: the first a runs before the first b. A cleanup pair means b removes what
// a leaves behind: the last a runs before the last b.
var passOrder = [...]struct {
	a, b    string
	cleanup bool
	why     string
}{
	{"inline", "fold", false, "an inlined body's parameters become the caller's arguments, often constants, which fold then propagates through the body"},
	{"inline", "gvn", false, "GVN merges what an inlined body recomputes of the caller's values, addresses and checks included"},
	{"inline", "simplifycfg", true, "inlining cuts the caller's block at each call; SimplifyCFG joins a straight-line body's pieces again"},
	{"fold", "gvn", false, "fold puts constants on the right of commutative ops and masks shift amounts, so equal expressions look equal"},
	{"copyprop", "gvn", false, "GVN compares operand values; a copy hides that two operands are one value"},
	{"simplifycfg", "gvn", false, "merged blocks make longer dominator chains, in which GVN finds more"},
	{"gvn", "licm", false, "GVN merges duplicate invariant expressions, so LICM hoists one of each"},
	{"gvn", "rle", false, "RLE matches loads by their address value; GVN makes equal addresses one value"},
	{"rle", "dce", true, "a load RLE replaced may leave its address computation unused"},
	{"gvn", "bce", false, "BCE removes a check only on the same address value; GVN makes equal addresses one value"},
	{"gvn", "fold", true, "GVN makes operands equal, and x-x, x^x and icmp x, x fold only then"},
	{"fold", "copyprop", true, "a brif fold turns into a jump leaves its target's parameters trivial"},
	{"fold", "dce", true, "folding leaves constants and operands unused"},
	{"bce", "dce", true, "a deleted check may leave its address computation unused"},
	{"licm", "slp", false, "SLP versions a loop in its preheader, and needs the loop's addresses in invariant + counter form, which LICM makes by hoisting"},
	{"bce", "slp", false, "SLP replaces a loop's checks by one test in the preheader per address; BCE first removes the repeated ones"},
	{"slp", "dce", true, "the vector loop leaves the scalar address arithmetic of packed lanes unused"},
	{"fold", "exitvalues", true, "fold would turn an exit value (p + c) - c back into p, which lives through the loop again"},
	{"exitvalues", "dce", true, "an add of the parameter and a constant that exitvalues rewrites may leave the constant unused"},
	{"licm", "thread", false, "LICM hoists what the loop head computes, so fewer instructions are copied onto threaded edges, and it sees the loops before threading reshapes them"},
	{"thread", "fold", true, "the copies on a threaded edge compute on the constant the edge passed"},
	{"thread", "copyprop", true, "a dispatch block's parameter may be passed one value once the edges passing constants go elsewhere"},
	{"thread", "dce", true, "copies on a threaded edge that its target does not read, and parameters no edge needs"},
	{"thread", "simplifycfg", true, "a block made on a threaded edge whose dispatch computes nothing is a forwarder"},
	{"licm", "promote", false, "promote needs the promoted addresses computed outside the loop, and LICM hoists them there"},
	{"promote", "exitvalues", false, "ExitValues then sees the fast copy's stepped pointers too, and lets them die in the loop"},
	{"promote", "dce", true, "the fast copy may leave the original's address arithmetic of promoted accesses unused"},
	{"licm", "simplifycfg", true, "LICM adds preheaders; SimplifyCFG threads away those left empty"},
	{"dce", "simplifycfg", true, "DCE empties blocks that SimplifyCFG then threads through or merges"},
}

// baseName strips a "-late" style suffix from a pass name.
func baseName(name string) string {
	base, _, _ := strings.Cut(name, "-")
	return base
}

// Config says how to run the pipeline. It travels with each call rather than living in
// package variables, so several compilations can run at once with different settings.
type Config struct {
	// Level is the optimization level, as for [Passes].
	Level int
	// Verify runs [Verify] on the input and after every pass, turning the first problem
	// into an error that names the pass. Tests always set it.
	Verify bool
	// Dump, if set, is called after each pass with its name and the function, for
	// --dump; it decides itself which passes and functions to print. [RunModule] calls
	// it from several goroutines at once. When set, an internal compiler error carries
	// the function's text.
	Dump func(pass string, f *Func)
	// Inline, if set, makes level 2 and above inline calls first ([Pipeline]); it says
	// which callees may be inlined and hands out copies of their bodies.
	Inline *Inliner
}

// PassError is an internal compiler error: a pass panicked, or left IR that does not
// verify. It names the function and the pass, as the driver reports it (STYLE §2.5).
type PassError struct {
	Func string // the function's name
	// Pass is the pass that failed, or "" when the input did not verify.
	Pass     string
	Panicked bool   // the pass panicked, rather than left invalid IR
	Err      error  // the panic value, or the verifier's problems joined
	IR       string // the function's text when it failed, if Config.Dump was set
	Stack    string // the stack of the panic, for a bug report
}

// Error returns "internal compiler error in $f during pass licm: …", followed by the IR
// when there is some.
func (e *PassError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "internal compiler error in %s", refName(e.Func))
	switch {
	case e.Pass == "":
		b.WriteString(": input does not verify")
	case e.Panicked:
		fmt.Fprintf(&b, " during pass %s", e.Pass)
	default:
		fmt.Fprintf(&b, " after pass %s: IR does not verify", e.Pass)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.IR != "" {
		b.WriteString("\n")
		b.WriteString(e.IR)
	}
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *PassError) Unwrap() error { return e.Err }

// RunPipeline runs the passes of [Pipeline] over f, checking and dumping as cfg says. It
// returns a *[PassError] if a pass panics or, with cfg.Verify, breaks the IR; f is then
// left as the failing pass left it.
func RunPipeline(f *Func, cfg Config) error {
	if f.IsImport() {
		return nil
	}
	if cfg.Verify {
		if errs := Verify(f); len(errs) > 0 {
			return &PassError{Func: f.Name, Err: errors.Join(errs...)}
		}
	}
	f.cfg.endPipeline() // passes hand on what they know only within this run
	defer f.cfg.endPipeline()
	for _, p := range Pipeline(cfg) {
		f.cfg.beginPass()
		if err := runPass(f, p, cfg); err != nil {
			return err
		}
	}
	return nil
}

// runPass runs one pass, turning a panic into a PassError.
func runPass(f *Func, p Pass, cfg Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e := &PassError{Func: f.Name, Pass: p.Name, Panicked: true, Stack: string(debug.Stack())}
			if re, ok := r.(error); ok {
				e.Err = re
			} else {
				e.Err = fmt.Errorf("%v", r)
			}
			if cfg.Dump != nil {
				e.IR = safeString(f)
			}
			err = e
		}
	}()
	p.Run(f)
	if cfg.Verify {
		errs := Verify(f)
		if err := f.verifyHandoff(); err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			e := &PassError{Func: f.Name, Pass: p.Name, Err: errors.Join(errs...)}
			if cfg.Dump != nil {
				e.IR = safeString(f)
			}
			return e
		}
	}
	if cfg.Dump != nil {
		cfg.Dump(p.Name, f)
	}
	return nil
}

// safeString prints f, which a failing pass may have left inconsistent enough to make
// the printer panic; the error must still come out.
func safeString(f *Func) (s string) {
	defer func() {
		if recover() != nil {
			s = "(the function cannot be printed)"
		}
	}()
	return f.String()
}

// RunModule runs the pipeline over every defined function of m, in parallel. Functions
// share nothing a pass writes, so the result does not depend on scheduling; errors come
// back joined in function order. cfg.Inline must therefore take bodies from sources or
// snapshots ([Snapshot]), never from m's functions, which the workers are rewriting.
func RunModule(m *Module, cfg Config) error {
	n := len(m.Funcs)
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if f := m.Funcs[i]; f != nil && !f.IsImport() {
					errs[i] = RunPipeline(f, cfg)
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
