package regalloc

import "math/bits"

// regs is RunFast's set of registers: a RegSet's two words as fields. The compiler keeps
// a small struct in registers but an array in memory, so that adding a register to a
// RegSet stores one word and copying the set on loads both words at once, which waits
// for the store to retire instead of forwarding it; in RunFast's allocation of an
// instruction, which adds to a set and copies it at every operand, those waits were half
// the time (issue 21).
type regs struct{ lo, hi uint64 }

func regsOf(s RegSet) regs { return regs{s[0], s[1]} }

func (s regs) set() RegSet { return RegSet{s.lo, s.hi} }

// add returns s with r added, and none for NoReg. The shifts are by r&63, which the
// compiler emits as one instruction: shifts by a byte that may reach 64, which gave zero
// outside r's word, were four each, and the branches that replace them always go the same
// way, since the ISAs number their registers below 64 (issue 21).
func (s regs) add(r PReg) regs {
	if r < 64 {
		s.lo |= 1 << (r & 63)
	} else if r < MaxPRegs {
		s.hi |= 1 << (r & 63)
	}
	return s
}

// addReg is add for a register r below MaxPRegs, which the caller has checked.
func (s regs) addReg(r PReg) regs {
	if r < 64 {
		s.lo |= 1 << (r & 63)
	} else {
		s.hi |= 1 << (r & 63)
	}
	return s
}

func (s regs) remove(r PReg) regs {
	if r < 64 {
		s.lo &^= 1 << (r & 63)
	} else if r < MaxPRegs {
		s.hi &^= 1 << (r & 63)
	}
	return s
}

func (s regs) has(r PReg) bool {
	if r < 64 {
		return s.lo&(1<<(r&63)) != 0
	}
	return r < MaxPRegs && s.hi&(1<<(r&63)) != 0
}

func (s regs) union(t regs) regs { return regs{s.lo | t.lo, s.hi | t.hi} }

func (s regs) intersect(t regs) regs { return regs{s.lo & t.lo, s.hi & t.hi} }

func (s regs) empty() bool { return s.lo|s.hi == 0 }

// first is the lowest register of s, which must not be empty.
func (s regs) first() PReg {
	if s.lo != 0 {
		return PReg(bits.TrailingZeros64(s.lo))
	}
	return PReg(64 + bits.TrailingZeros64(s.hi))
}
