package regalloc

import (
	"cmp"
	"slices"
)

// assignSlots gives each virtual register with a spilled part a slot for its whole lifetime
// (definition to last use, in layout order, holes included), sharing slots of a class between
// lifetimes that do not overlap unless cfg.Slots says otherwise.
//
// Lifetimes are taken by start, and each gets the slot of a block parameter it is passed to,
// or of a branch argument passed to it, if it is live nowhere the slot's registers are (see
// slotPartners), else the lowest-numbered slot of its class whose last lifetime has ended
// (first fit). Since starts only grow, a slot once free stays free until it is taken, so the
// free slots are kept in a heap by number and the busy ones in a heap by the end of their
// lifetime: O(log slots) per register, where scanning every slot was quadratic with 20,000
// values spilled at once. A slot taken as a partner's leaves its entry behind in one of the
// heaps, marked stale by the slot's generation.
//
// A block parameter that is never spilled may get a slot too, a partner's: when an argument
// passed to it and a parameter it is passed to both live in that slot. It is then stored on
// the edges that bring another value (resolve), so that the edges which bring the value in
// the slot, and the edge that passes it on, store nothing. Go's resume-point loops carry a
// spilled value around the loop through parameters of the blocks in between, the same value
// on the path that matters, and stored it again at the loop header on every pass.
func (a *allocator) assignSlots() {
	t := &a.tables
	for c := range a.cycleSlot {
		a.cycleSlot[c] = -1
	}
	spilled := t.spilled[:0]
	var shadow bitset // block parameters never spilled that may take a partner's slot
	if a.cfg.Slots == SlotsShared {
		t.shadow = resize(t.shadow, (a.nvregs+63)/64)
		shadow = t.shadow
	}
	a.slot = filled(a.slot, a.nvregs, -1)
	for _, v := range t.withInterval {
		cs := a.children[v]
		switch {
		case slices.ContainsFunc(cs, func(c *interval) bool { return c.spilled }):
			spilled = append(spilled, VReg(v))
		case shadow != nil && len(cs) > 0 && a.defInstr[v] < 0 && a.defBlock[v] >= 0 && cs[0].reg != NoReg:
			shadow.add(int(v))
			spilled = append(spilled, VReg(v))
		}
	}
	start := func(v VReg) int32 { return a.children[v][0].start() }
	// By start, then by vreg (the order they were listed in): a sort of keys, where a
	// stable sort through the intervals was a tenth of the allocator's time.
	keys := t.keys[:0]
	for _, v := range spilled {
		keys = append(keys, uint64(start(v))<<32|uint64(v))
	}
	slices.Sort(keys)
	for i, k := range keys {
		spilled[i] = VReg(uint32(k))
	}
	t.keys = keys
	var partners slotPartners
	if shadow != nil {
		partners = a.slotPartners(spilled)
	}
	var free, busy [NumClasses]minHeap[slotUse] // free by slot number, busy by lifetime end
	for c := range free {
		free[c] = minHeap[slotUse]{items: t.free[c][:0], less: slotUse.before}
		busy[c] = minHeap[slotUse]{items: t.busy[c][:0], less: slotUse.before}
	}
	end, gen := t.slotEnd[:0], t.slotGen[:0] // per slot, the end of its last lifetime and its generation
	occupied := t.occupied[:0]               // per slot, where its values are live, sorted and disjoint
	fresh := func(u slotUse) bool { return u.gen == gen[u.slot] }
	spans := t.slotSpans[:0]
	downstream := t.downstream[:0]
	for _, v := range spilled {
		cs := a.children[v]
		from, to := start(v), cs[len(cs)-1].end()
		c := a.class[v]
		spans = spans[:0]
		for _, ch := range cs {
			spans = append(spans, ch.spans...)
		}
		s := int32(-1)
		if shadow != nil {
			s, downstream = partners.slotFor(a, v, shadow.has(int(v)), spans, occupied, downstream)
			if s >= 0 {
				gen[s]++
			}
			for s < 0 && !shadow.has(int(v)) && busy[c].len() > 0 && busy[c].min().until <= from {
				if u := busy[c].pop(); fresh(u) {
					free[c].push(slotUse{slot: u.slot, gen: u.gen})
				}
			}
			for s < 0 && !shadow.has(int(v)) && free[c].len() > 0 {
				if u := free[c].pop(); fresh(u) {
					s = u.slot
				}
			}
			if s < 0 && shadow.has(int(v)) {
				continue // a parameter never spilled needs no slot of its own
			}
		}
		if s < 0 {
			s = int32(len(a.slots))
			a.slots = append(a.slots, c)
			end, gen = append(end, 0), append(gen, 0)
			if len(occupied) < cap(occupied) {
				occupied = occupied[:len(occupied)+1] // an array of the function before, emptied
				occupied[s] = occupied[s][:0]
			} else {
				occupied = append(occupied, nil)
			}
		}
		end[s] = max(end[s], to)
		busy[c].push(slotUse{until: end[s], slot: s, gen: gen[s]})
		if shadow != nil {
			occupied[s] = mergeSpans(occupied[s], spans)
		}
		a.slot[v] = s
	}
	t.spilled, t.slotEnd, t.slotGen, t.occupied, t.slotSpans, t.downstream = spilled, end, gen, occupied, spans, downstream
	for c := range free {
		t.free[c], t.busy[c] = free[c].items, busy[c].items
	}
}

// slotUse is a spill slot busy until a position; in the heap of free slots, until is 0, so
// the order is by slot number. gen is the slot's generation when the entry was made.
type slotUse struct {
	until int32
	slot  int32
	gen   int32
}

func (u slotUse) before(v slotUse) bool {
	return u.until < v.until || u.until == v.until && u.slot < v.slot
}

// slotPartners lists, per register that may get a slot, those it meets on a CFG edge: the
// block parameters it is passed to (downstream) and the branch arguments passed to it. A
// parameter and an argument in one slot need no store on that edge (resolve), and since a
// value is stored into its slot once, at its definition, a parameter whose arguments all
// share its slot is never stored at all.
type slotPartners struct {
	start []int32 // v's partners are list[start[v]:start[v+1]]
	list  []slotPartner
}

type slotPartner struct {
	v          VReg
	downstream bool // v is a parameter the register is passed to
}

// maxOccupied bounds the spans of a slot that slotFor compares with a register's: past it,
// a partner's slot is taken only once all its values have died, as first fit would.
const maxOccupied = 256

// maxSlotTries bounds the partners' slots slotFor compares with a register's, so that a
// parameter of a block with thousands of predecessors costs no more than another.
const maxSlotTries = 8

// slotFor is the slot of a partner of v that v may share, or -1: one of its class whose
// values are live nowhere v is (spans, v's spans in order; occupied, each slot's), and
// for a parameter never spilled (shadow), the slot of an argument passed to it that a
// parameter it is passed to has too, so that sharing it saves stores rather than adds them.
// downstream is scratch space, returned for reuse.
func (p *slotPartners) slotFor(a *allocator, v VReg, shadow bool, spans []span, occupied [][]span, downstream []int32) (int32, []int32) {
	if p.start == nil {
		return -1, downstream
	}
	ps := p.list[p.start[v]:p.start[v+1]]
	if shadow {
		downstream = downstream[:0]
		for _, d := range ps {
			if d.downstream && a.slot[d.v] >= 0 {
				downstream = append(downstream, a.slot[d.v])
			}
		}
		slices.Sort(downstream)
	}
	var tried [maxSlotTries]int32
	n := 0
	for _, u := range ps {
		s := a.slot[u.v]
		if s < 0 || a.class[u.v] != a.class[v] || shadow && u.downstream || slices.Contains(tried[:n], s) {
			continue
		}
		if _, ok := slices.BinarySearch(downstream, s); shadow && !ok {
			continue
		}
		if occ := occupied[s]; len(occ) <= maxOccupied && !spansMeet(occ, spans) ||
			len(occ) > maxOccupied && occ[len(occ)-1].to <= spans[0].from {
			return s, downstream
		}
		tried[n] = s
		if n++; n == maxSlotTries {
			break
		}
	}
	return -1, downstream
}

// spansMeet reports whether two sorted lists of disjoint spans overlap.
func spansMeet(x, y []span) bool {
	i, _ := slices.BinarySearchFunc(x, y[0].from, func(s span, pos int32) int { return cmp.Compare(s.to, pos+1) })
	for j := 0; i < len(x) && j < len(y); {
		if x[i].from < y[j].to && y[j].from < x[i].to {
			return true
		}
		if x[i].to <= y[j].to {
			i++
		} else {
			j++
		}
	}
	return false
}

// mergeSpans adds the sorted spans y, which meet none of x, to x, keeping it sorted: an
// append when they all come after x, as they do for first fit; a merge only when slotFor
// found room among at most maxOccupied spans.
func mergeSpans(x, y []span) []span {
	if len(x) == 0 || x[len(x)-1].to <= y[0].from {
		return append(x, y...)
	}
	out := make([]span, 0, len(x)+len(y))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		if j == len(y) || i < len(x) && x[i].from < y[j].from {
			out = append(out, x[i])
			i++
		} else {
			out = append(out, y[j])
			j++
		}
	}
	return out
}

// slotPartners builds the partners of the registers that may get a slot by counting sort
// over the edges, in time linear in the branch arguments, in arrays of a.tables.
func (a *allocator) slotPartners(regs []VReg) slotPartners {
	if len(regs) < 2 || len(a.args.all) == 0 {
		// No two of them can meet on an edge: the tables, cleared per value, would cost
		// most functions more than the rest of assignSlots (issue 21).
		return slotPartners{}
	}
	t := &a.tables
	t.partnerIn = resize(t.partnerIn, (a.nvregs+63)/64)
	in := t.partnerIn
	for _, v := range regs {
		in.add(int(v))
	}
	var p slotPartners
	t.partnerStart = resize(t.partnerStart, a.nvregs+1)
	p.start = t.partnerStart
	// One walk over the edges' arguments, by edge number through the lists' arrays (a
	// walk by block through closures was two thirds of slotPartners), counts the pairs
	// and keeps them, so that the fill walks only them: a second walk over all the edges
	// was a third of slotPartners (issue 21).
	succs, argStart, args := a.succs.all, a.args.start, a.args.all
	paramStart, params := a.params.start, a.params.all
	pairs := t.partnerPairs[:0] // each pair's argument, then its parameter
	for e, s := range succs {
		lo, hi := argStart[e], argStart[e+1]
		if lo == hi {
			continue
		}
		ps := params[paramStart[s]:paramStart[s+1]]
		for j, arg := range args[lo:hi] {
			param := ps[j]
			if arg == param || !in.has(int(arg)) || !in.has(int(param)) {
				continue
			}
			p.start[arg+1]++
			p.start[param+1]++
			pairs = append(pairs, arg, param)
		}
	}
	t.partnerPairs = pairs
	for v := range a.nvregs {
		p.start[v+1] += p.start[v]
	}
	t.partners = resize(t.partners, int(p.start[a.nvregs]))
	p.list = t.partners
	next := append(t.partnerNext[:0], p.start[:a.nvregs]...)
	t.partnerNext = next
	for i := 0; i+1 < len(pairs); i += 2 {
		arg, param := pairs[i], pairs[i+1]
		p.list[next[arg]] = slotPartner{param, true}
		next[arg]++
		p.list[next[param]] = slotPartner{arg, false}
		next[param]++
	}
	return p
}
