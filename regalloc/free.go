package regalloc

// How long each register stays free for the interval being allocated, asked register by
// register. tryAllocateFree mostly settles on its hint or on the first register of its
// class that is free for all of the interval, so it looks at a few registers; working out
// all of them first (each one's fixed interval, and every inactive interval's next
// intersection with the interval) was a seventh of the allocator's time at -O2 on
// encoding/json's test binary (issue 21). Each register's answer is computed when first
// asked, and is the one computing them all gave.

// freeState is what freeAt needs to answer for one interval. Per-register entries are
// valid when their stamp is gen, which freeUntil advances: clearing them for each
// interval, or keeping sets of registers, cost more than the answers saved.
type freeState struct {
	gen   uint32
	known [MaxPRegs]uint32 // s.until[r] is the answer for r
	// The last inactive interval of cur's class holding r is inactive[last[r]-1] when
	// holder[r] is gen, and the one before inactive[I] is inactive[prev[I]-1] (0: none).
	holder [MaxPRegs]uint32
	last   [MaxPRegs]int32
	prev   []int32
}

// freeUntil prepares freeAt to answer for cur: the registers active intervals hold now are
// answered (0), and the inactive intervals holding each other register are listed.
func (a *allocator) freeUntil(cur *interval) {
	s := a.s
	f := &s.free
	f.gen++
	gen := f.gen
	for _, it := range s.active {
		if it.class == cur.class {
			s.until[it.reg], f.known[it.reg] = 0, gen
		}
	}
	// Sliced in place when the array is large enough: storing what resize returns wrote
	// the array's pointer, a write barrier per interval while the collector marked.
	if n := len(s.inactive); cap(f.prev) >= n {
		f.prev = f.prev[:n]
		clear(f.prev)
	} else {
		f.prev = make([]int32, n)
	}
	for i, it := range s.inactive {
		r := it.reg
		if it.class != cur.class || f.known[r] == gen {
			continue
		}
		if f.holder[r] == gen {
			f.prev[i] = f.last[r]
		}
		f.holder[r], f.last[r] = gen, int32(i)+1
	}
}

// freeAt is the last position at which cur, the interval freeUntil was last called for,
// could move out of register r, of its class, before something else needs r (0 if taken
// now). A register taken now is not looked at further: neither its fixed interval nor
// the inactive intervals holding it can make it free earlier. cur is passed rather than
// kept by freeUntil: storing the pointer cost a write barrier per interval while the
// collector marked (issue 21).
func (a *allocator) freeAt(r PReg, cur *interval) int32 {
	if a.s.free.known[r] == a.s.free.gen {
		return a.s.until[r]
	}
	return a.computeFree(r, cur)
}

// computeFree is freeAt for a register not yet answered.
func (a *allocator) computeFree(r PReg, cur *interval) int32 {
	s := a.s
	f := &s.free
	u := maxPos
	if q := a.fixedNext(r, cur); q != maxPos {
		u = evenFloor(q)
	}
	if f.holder[r] == f.gen {
		pos := cur.start()
		for k := f.last[r]; k != 0 && u > 0; k = f.prev[k-1] {
			if q := s.inactive[k-1].nextIntersection(cur, pos); q != maxPos {
				u = min(u, evenFloor(q))
			}
		}
	}
	s.until[r], f.known[r] = u, f.gen
	return u
}
