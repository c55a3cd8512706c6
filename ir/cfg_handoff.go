package ir

import (
	"fmt"
	"slices"
)

// CFG handoffs (issue 21). Most passes begin by deleting unreachable blocks and asking for
// the CFG or the block order, and each such question walks every branch: to compare the
// cached CFG's key, or to find the reachable blocks again. Yet many passes end knowing
// the answer: they changed no block or branch since they asked themselves. A pass of
// [RunPipeline] leaves what it knows in a handoff, which the first question of the very
// next pass takes; nothing runs between two passes of a pipeline but the verifier and
// the dump, which only read. Outside a pipeline no handoff is left, so a caller that runs
// passes itself and edits the function between them is never misled.
//
// A pass may leave one only if it edits no block or branch after the question whose
// answer it hands on, and a pass may take one only with its first question, before it
// edits anything: every pass's first question comes first thing.

// cfgHandoff is what a pass left known about the function when it ended.
type cfgHandoff struct {
	pass int32 // the pipeline pass that left it, from 1; 0 for none
	// Every laid-out block is reachable, and these hold:
	rpo []BlockID // the reverse postorder, if not nil (not to be modified)
	cfg bool      // the cached CFG is current
	// noCopies says no block holds a copy: Fold and CopyProp remove every one.
	noCopies bool
}

// beginPass numbers the next pass of a pipeline; endPipeline forgets the numbering and
// any handoff, so that nothing is taken outside a pipeline.
func (c *cfgCache) beginPass()   { c.pass++ }
func (c *cfgCache) endPipeline() { c.pass, c.handoff = 0, cfgHandoff{} }

// leaveHandoff records, at the end of a pass run by a pipeline, that every laid-out
// block is reachable, that rpo (if not nil) is the reverse postorder and, with cfg, that
// the cached CFG is current.
func (f *Func) leaveHandoff(rpo []BlockID, cfg bool) {
	c := &f.cfg
	if c.pass == 0 {
		return
	}
	cfg = cfg && c.cfg != nil
	// An order that leaves out a laid-out block says some block is unreachable: then
	// nothing is handed on, which costs the next pass a walk and no more.
	if cfg && len(c.cfg.RPO) != len(f.Layout) || rpo != nil && len(rpo) != len(f.Layout) {
		c.handoff = cfgHandoff{}
		return
	}
	c.handoff = cfgHandoff{pass: c.pass, rpo: rpo, cfg: cfg}
}

// handoffNoCopies adds to the handoff the pass just left that no block holds a copy.
func (f *Func) handoffNoCopies() {
	if c := &f.cfg; c.pass > 0 && c.handoff.pass == c.pass {
		c.handoff.noCopies = true
	}
}

// forwardHandoff hands on, at the end of a pass that asked nothing and edited no block
// or branch, what the pass before it left.
func (f *Func) forwardHandoff() {
	if c := &f.cfg; c.pass > 0 && c.handoff.pass == c.pass-1 {
		c.handoff.pass = c.pass
	}
}

// takeHandoff returns what the previous pass left, if it left anything, and forgets it:
// only a pass's first question may use it. A handoff the current pass left (the verifier
// asks after it) stays for the next one.
func (f *Func) takeHandoff() (cfgHandoff, bool) {
	c := &f.cfg
	h := c.handoff
	switch {
	case h.pass == 0 || h.pass == c.pass:
		return cfgHandoff{}, false
	case h.pass != c.pass-1:
		c.handoff = cfgHandoff{}
		return cfgHandoff{}, false
	}
	c.handoff = cfgHandoff{}
	return h, true
}

// rpoOf returns c's reverse postorder, or nil for no CFG.
func rpoOf(c *CFG) []BlockID {
	if c == nil {
		return nil
	}
	return c.RPO
}

// verifyHandoff checks that what the pass just run left in its handoff is true of the
// function, for [Config.Verify]: a handoff trusts each pass to know what it edited, and
// a pass that claims too much would otherwise go unnoticed by everything but the code
// it makes, since the next pass takes the claim without looking.
func (f *Func) verifyHandoff() error {
	c := &f.cfg
	h := c.handoff
	if h.pass == 0 || h.pass != c.pass {
		return nil
	}
	fresh := f.computeCFG()
	if len(fresh.RPO) != len(f.Layout) {
		return fmt.Errorf("the pass handed on that every block is reachable, but %d of %d are", len(fresh.RPO), len(f.Layout))
	}
	if h.rpo != nil && !slices.Equal(h.rpo, fresh.RPO) {
		return fmt.Errorf("the pass handed on a block order that is not the reverse postorder")
	}
	if h.cfg && (c.cfg == nil || !slices.Equal(c.key, f.appendCFGKey(nil))) {
		return fmt.Errorf("the pass handed on a cached CFG that its blocks or branches no longer match")
	}
	if h.noCopies {
		for _, b := range f.Layout {
			for _, id := range f.Blocks[b].Instrs {
				if f.Instrs[id].Op == OpCopy {
					return fmt.Errorf("the pass handed on that no block holds a copy, but block b%d does", b)
				}
			}
		}
	}
	return nil
}
