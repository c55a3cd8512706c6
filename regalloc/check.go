package regalloc

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Check verifies that r is a correct allocation of f under cfg, using only f, cfg and r's
// exported results, never the allocator's intervals. It executes f symbolically with the
// edits applied: a forward dataflow over the blocks computes, for each register and spill
// slot, the set of values it certainly holds at each block's entry (the intersection over
// predecessors; on an edge, a location holding a branch argument also holds the parameter it
// is passed to). It reports, as [*Error] values joined with [errors.Join]:
//   - a use that reads a location which does not hold its virtual register (a missing or
//     misplaced move, reload or store, a value overwritten by another, or a register clobbered
//     by a call the value lives across);
//   - a fixed operand not allocated its register, or a fixed use whose register no longer
//     holds what the block wrote into it;
//   - a ReuseDef not in its use's register, two defs in one register, a location of the wrong
//     class or an unallocatable register, a slot outside a copy, and an edit that moves a value
//     from a location not holding it.
//
// Blocks unreachable from the entry are not checked.
func Check(f Func, cfg *Config, r *Result) error {
	c := &checker{f: f, cfg: cfg, r: r, nv: f.NumVRegs()}
	return c.run()
}

// valueSet is a sorted set of symbolic values: a vreg v is v; the value the program itself
// wrote to physical register p (a fixed def, or an incoming argument) is nv+p.
type valueSet []int32

func (s valueSet) has(x int32) bool { _, ok := slices.BinarySearch(s, x); return ok }

func (s valueSet) with(x int32) valueSet {
	i, ok := slices.BinarySearch(s, x)
	if ok {
		return s
	}
	return slices.Insert(slices.Clone(s), i, x)
}

func (s valueSet) without(x int32) valueSet {
	i, ok := slices.BinarySearch(s, x)
	if !ok {
		return s
	}
	return slices.Delete(slices.Clone(s), i, i+1)
}

func (s valueSet) intersect(t valueSet) valueSet {
	var out valueSet
	for i, j := 0, 0; i < len(s) && j < len(t); {
		switch {
		case s[i] < t[j]:
			i++
		case s[i] > t[j]:
			j++
		default:
			out = append(out, s[i])
			i, j = i+1, j+1
		}
	}
	return out
}

type checker struct {
	f        Func
	cfg      *Config
	r        *Result
	nv, nloc int
	errs     []error
	report   bool
	ops      []Operand

	// Only registers that can hold anything are tracked: allocatable and scratch registers
	// and those named by fixed operands. regIndex maps them to dense state indices, -1 for
	// the others; slots follow the registers.
	regIndex [MaxPRegs]int16
	nregs    int

	// holders counts, during one block's execution, the locations holding each value, so
	// that a def need not search every location for stale copies of its value.
	holders []int32
}

// put sets location x of st to s, keeping holders up to date.
func (c *checker) put(st []valueSet, x int, s valueSet) {
	for _, v := range st[x] {
		c.holders[v]--
	}
	for _, v := range s {
		c.holders[v]++
	}
	st[x] = s
}

const maxCheckErrors = 20

func (c *checker) errorf(b, i int, format string, args ...any) {
	if c.report && len(c.errs) < maxCheckErrors {
		c.errs = append(c.errs, &Error{Block: b, Instr: i, Msg: fmt.Sprintf(format, args...)})
	}
}

func (c *checker) value(x int32) string {
	if x >= int32(c.nv) {
		return c.cfg.RegName(PReg(x-int32(c.nv))) + "'s own value"
	}
	return fmt.Sprintf("%%%d", x)
}

func (c *checker) set(s valueSet) string {
	if len(s) == 0 {
		return "nothing"
	}
	names := make([]string, len(s))
	for i, x := range s {
		names[i] = c.value(x)
	}
	return strings.Join(names, ",")
}

func (c *checker) index(l Loc) int {
	if l.IsReg() {
		return int(c.regIndex[l.Reg()])
	}
	return c.nregs + l.Slot()
}

// track adds r to the tracked registers.
func (c *checker) track(r PReg) {
	if r < MaxPRegs && c.regIndex[r] < 0 {
		c.regIndex[r] = int16(c.nregs)
		c.nregs++
	}
}

// validLoc reports whether l may hold a value of class cl: an allocatable register of the
// class, the class's scratch register if scratch is set, or a slot of the class if slot is set.
func (c *checker) validLoc(l Loc, cl Class, slot, scratch bool) bool {
	switch {
	case l.IsReg():
		return slices.Contains(c.cfg.Regs[cl], l.Reg()) || scratch && l.Reg() == c.cfg.Scratch[cl]
	case l.IsSlot():
		return slot && l.Slot() < len(c.r.Slots) && c.r.Slots[l.Slot()] == cl
	}
	return false
}

func (c *checker) run() error {
	f, r := c.f, c.r
	nb := f.NumBlocks()
	if nb == 0 {
		return &Error{Block: -1, Instr: -1, Msg: "function has no blocks"}
	}
	_, ninstrs := f.BlockInstrs(nb - 1)
	if len(r.opStart) != ninstrs+1 {
		return &Error{Block: -1, Instr: -1, Msg: "result is for a function with another number of instructions"}
	}
	used := func(l Loc) bool { return !l.IsReg() || r.UsedRegs.Has(l.Reg()) }
	for j, e := range r.Edits {
		if e.Before < 0 || e.Before >= ninstrs || j > 0 && r.Edits[j-1].Before > e.Before {
			return &Error{Block: -1, Instr: e.Before, Msg: fmt.Sprintf("edit %d out of order or out of range", j)}
		}
		if !used(e.From) || !used(e.To) {
			return &Error{Block: -1, Instr: e.Before, Msg: fmt.Sprintf("edit %d uses a register missing from UsedRegs", j)}
		}
	}
	for i := 0; i < ninstrs; i++ {
		c.ops = f.AppendOperands(i, c.ops[:0])
		for k, o := range c.ops {
			if _, fixed := o.PReg(); !fixed && k < r.NumOperands(i) && !used(r.Alloc(i, k)) {
				return &Error{Block: -1, Instr: i, Msg: fmt.Sprintf("operand %d is in %s, missing from UsedRegs", k, c.cfg.LocName(r.Alloc(i, k)))}
			}
		}
	}
	for r := range c.regIndex {
		c.regIndex[r] = -1
	}
	for cl := range c.cfg.Regs {
		for _, r := range c.cfg.Regs[cl] {
			c.track(r)
		}
		if len(c.cfg.Regs[cl]) > 0 {
			c.track(c.cfg.Scratch[cl])
		}
	}
	for i := 0; i < ninstrs; i++ {
		c.ops = f.AppendOperands(i, c.ops[:0])
		for _, o := range c.ops {
			if p, ok := o.PReg(); ok {
				c.track(p)
			}
		}
	}
	c.nloc = c.nregs + len(r.Slots)
	in := make([][]valueSet, nb)
	in[0] = make([]valueSet, c.nloc)
	for p, x := range c.regIndex {
		if x >= 0 {
			in[0][x] = valueSet{int32(c.nv + p)}
		}
	}
	for changed := true; changed; {
		changed = false
		for b := 0; b < nb; b++ {
			if in[b] == nil {
				continue
			}
			out := c.block(b, in[b])
			for k, s := range f.BlockSuccs(b) {
				es := c.edge(out, f.BranchArgs(b, k), f.BlockParams(s))
				if in[s] == nil {
					in[s], changed = es, true
					continue
				}
				for l := range es {
					if m := in[s][l].intersect(es[l]); len(m) != len(in[s][l]) {
						in[s][l], changed = m, true
					}
				}
			}
		}
	}
	c.report = true
	for b := 0; b < nb; b++ {
		if in[b] != nil {
			c.block(b, in[b])
		}
	}
	return errors.Join(c.errs...)
}

// edge returns the state at a successor's entry: a location holding an argument also holds
// the parameter it is passed to, and no longer a parameter's value from an earlier pass.
func (c *checker) edge(out []valueSet, args, params []VReg) []valueSet {
	es := slices.Clone(out)
	for _, p := range params {
		for l := range es {
			es[l] = es[l].without(int32(p))
		}
	}
	for j, p := range params {
		for l := range es {
			if out[l].has(int32(args[j])) {
				es[l] = es[l].with(int32(p))
			}
		}
	}
	return es
}

// block executes block b from state in (which it does not modify) and returns the state at
// its end.
func (c *checker) block(b int, in []valueSet) []valueSet {
	f, r := c.f, c.r
	st := slices.Clone(in)
	if c.holders == nil {
		c.holders = make([]int32, c.nv+MaxPRegs)
	}
	for _, set := range st {
		for _, v := range set {
			c.holders[v]++
		}
	}
	defer func() {
		for _, set := range st {
			for _, v := range set {
				c.holders[v]--
			}
		}
	}()
	start, end := f.BlockInstrs(b)
	e, _ := slices.BinarySearchFunc(r.Edits, start, func(x Edit, i int) int { return x.Before - i })
	for i := start; i < end; i++ {
		for ; e < len(r.Edits) && r.Edits[e].Before == i; e++ {
			c.edit(b, st, r.Edits[e])
		}
		c.instr(b, i, st)
	}
	return st
}

func (c *checker) edit(b int, st []valueSet, ed Edit) {
	if int(ed.VReg) >= c.nv {
		c.errorf(b, ed.Before, "edit moves %%%d, out of range", ed.VReg)
		return
	}
	cl := c.f.VRegClass(ed.VReg)
	if !c.validLoc(ed.From, cl, true, true) || !c.validLoc(ed.To, cl, true, true) || ed.From.IsSlot() && ed.To.IsSlot() {
		c.errorf(b, ed.Before, "edit of %%%d from %s to %s: bad locations for %s", ed.VReg, c.cfg.LocName(ed.From), c.cfg.LocName(ed.To), cl)
		return
	}
	from := st[c.index(ed.From)]
	if !from.has(int32(ed.VReg)) {
		c.errorf(b, ed.Before, "edit moves %%%d from %s, which holds %s", ed.VReg, c.cfg.LocName(ed.From), c.set(from))
	}
	c.put(st, c.index(ed.To), from)
}

func (c *checker) instr(b, i int, st []valueSet) {
	f, r := c.f, c.r
	c.ops = f.AppendOperands(i, c.ops[:0])
	ops := c.ops
	if r.NumOperands(i) != len(ops) {
		c.errorf(b, i, "result has %d operands, the instruction %d", r.NumOperands(i), len(ops))
		return
	}
	for k, o := range ops {
		if o.def {
			continue
		}
		l := r.Alloc(i, k)
		if p, ok := o.PReg(); ok {
			if l != RegLoc(p) {
				c.errorf(b, i, "fixed use of %s allocated %s", c.cfg.RegName(p), c.cfg.LocName(l))
			} else if s := st[c.index(l)]; !s.has(int32(c.nv) + int32(p)) {
				c.errorf(b, i, "fixed use of %s, which holds %s", c.cfg.RegName(p), c.set(s))
			}
			continue
		}
		v := o.vreg
		if !c.validLoc(l, f.VRegClass(v), f.IsCopy(i), false) {
			c.errorf(b, i, "use of %%%d allocated %s", v, c.cfg.LocName(l))
			continue
		}
		if s := st[c.index(l)]; !s.has(int32(v)) {
			c.errorf(b, i, "use of %%%d reads %s, which holds %s", v, c.cfg.LocName(l), c.set(s))
		}
	}
	if cl := f.Clobbers(i); cl != (RegSet{}) {
		for p, x := range c.regIndex {
			if x >= 0 && cl.Has(PReg(p)) {
				c.put(st, int(x), nil)
			}
		}
	}
	var written RegSet
	for k, o := range ops {
		if !o.def {
			continue
		}
		l := r.Alloc(i, k)
		if !l.IsReg() {
			c.errorf(b, i, "def allocated %s", c.cfg.LocName(l))
			continue
		}
		if written.Has(l.Reg()) {
			c.errorf(b, i, "two defs in %s", c.cfg.LocName(l))
		}
		written = written.Add(l.Reg())
		if p, ok := o.PReg(); ok {
			if l != RegLoc(p) {
				c.errorf(b, i, "fixed def of %s allocated %s", c.cfg.RegName(p), c.cfg.LocName(l))
			}
			c.put(st, c.index(l), valueSet{int32(c.nv) + int32(p)})
			continue
		}
		v := o.vreg
		if !c.validLoc(l, f.VRegClass(v), false, false) {
			c.errorf(b, i, "def of %%%d allocated %s", v, c.cfg.LocName(l))
			continue
		}
		if j, ok := o.Reuse(); ok && r.Alloc(i, j) != l {
			c.errorf(b, i, "%%%d allocated %s, not %s like the use it reuses", v, c.cfg.LocName(l), c.cfg.LocName(r.Alloc(i, j)))
		}
		for x := 0; c.holders[v] > 0 && x < len(st); x++ {
			c.put(st, x, st[x].without(int32(v)))
		}
		c.put(st, c.index(l), valueSet{int32(v)})
	}
}
