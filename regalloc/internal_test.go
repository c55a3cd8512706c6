package regalloc

import "fmt"

// verifyIntervals checks the allocator's own invariants after a run, beyond what Check can
// see: no two intervals of a register overlap (nor one with the register's fixed interval),
// and the children of each vreg are disjoint and sorted.
func verifyIntervals(a *allocator) error {
	byReg := make([][]*interval, MaxPRegs)
	for v, cs := range a.children {
		for j, c := range cs {
			if len(c.spans) == 0 {
				return fmt.Errorf("%%%d: empty child", v)
			}
			if j > 0 && cs[j-1].end() > c.start() {
				return fmt.Errorf("%%%d: children overlap: %v and %v", v, cs[j-1].spans, c.spans)
			}
			if c.spilled == (c.reg != NoReg) {
				return fmt.Errorf("%%%d: child %v neither in a register nor spilled, or both", v, c.spans)
			}
			if c.reg != NoReg {
				byReg[c.reg] = append(byReg[c.reg], c)
			}
		}
	}
	for r, list := range byReg {
		if fx := a.fixed[r]; fx != nil {
			list = append(list, fx)
		}
		for i, x := range list {
			for _, y := range list[:i] {
				if q := x.nextIntersection(y, 0); q != maxPos {
					return fmt.Errorf("%s: %%%d %v and %%%d %v overlap at %d", a.cfg.RegName(PReg(r)), x.vreg, x.spans, y.vreg, y.spans, q)
				}
			}
		}
	}
	return nil
}

// runChecked is Run plus verifyIntervals.
func runChecked(f Func, cfg *Config) (*Result, error) {
	a := &allocator{f: f, cfg: cfg}
	r, err := a.run()
	if err != nil {
		return nil, err
	}
	if err := verifyIntervals(a); err != nil {
		return nil, fmt.Errorf("internal: %v", err)
	}
	return r, nil
}
