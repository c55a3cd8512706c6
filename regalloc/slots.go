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
// or of a branch argument passed to it, if that slot's last lifetime has ended (see
// slotPartners), else the lowest-numbered slot of its class whose last lifetime has ended
// (first fit). Since starts only grow, a slot once free stays free until it is taken, so the
// free slots are kept in a heap by number and the busy ones in a heap by the end of their
// lifetime: O(log slots) per register, where scanning every slot was quadratic with 20,000
// values spilled at once. A slot taken as a partner's leaves its entry behind in one of the
// heaps, marked stale by the slot's generation.
func (a *allocator) assignSlots() {
	a.slot = make([]int32, a.nvregs)
	for c := range a.cycleSlot {
		a.cycleSlot[c] = -1
	}
	var spilled []VReg
	for v, cs := range a.children {
		a.slot[v] = -1
		if slices.ContainsFunc(cs, func(c *interval) bool { return c.spilled }) {
			spilled = append(spilled, VReg(v))
		}
	}
	start := func(v VReg) int32 { return a.children[v][0].start() }
	slices.SortStableFunc(spilled, func(x, y VReg) int { return cmp.Compare(start(x), start(y)) })
	var partners slotPartners
	if a.cfg.Slots == SlotsShared {
		partners = a.slotPartners(spilled)
	}
	var free, busy [NumClasses]minHeap[slotUse] // free by slot number, busy by lifetime end
	for c := range free {
		free[c].less, busy[c].less = slotUse.before, slotUse.before
	}
	var end, gen []int32 // per slot, the end of its last lifetime and its generation
	fresh := func(u slotUse) bool { return u.gen == gen[u.slot] }
	for _, v := range spilled {
		cs := a.children[v]
		from, to := start(v), cs[len(cs)-1].end()
		c := a.class[v]
		s := int32(-1)
		if a.cfg.Slots == SlotsShared {
			for _, u := range partners.of(v) {
				if t := a.slot[u]; t >= 0 && a.class[u] == c && end[t] <= from {
					s = t
					gen[s]++
					break
				}
			}
			for s < 0 && busy[c].len() > 0 && busy[c].min().until <= from {
				if u := busy[c].pop(); fresh(u) {
					free[c].push(slotUse{slot: u.slot, gen: u.gen})
				}
			}
			for s < 0 && free[c].len() > 0 {
				if u := free[c].pop(); fresh(u) {
					s = u.slot
				}
			}
		}
		if s < 0 {
			s = int32(len(a.slots))
			a.slots = append(a.slots, c)
			end, gen = append(end, 0), append(gen, 0)
		}
		end[s] = to
		busy[c].push(slotUse{until: to, slot: s, gen: gen[s]})
		a.slot[v] = s
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

// slotPartners lists, per spilled virtual register, the spilled registers it meets on a CFG
// edge: the block parameters it is passed to and the branch arguments passed to it. A
// parameter and an argument in one slot need no store on that edge (resolve), and since a
// value is stored into its slot once, at its definition, a parameter whose arguments all
// share its slot is never stored at all.
type slotPartners struct {
	start []int32 // v's partners are list[start[v]:start[v+1]]
	list  []VReg
}

func (p *slotPartners) of(v VReg) []VReg {
	if p.start == nil {
		return nil
	}
	return p.list[p.start[v]:p.start[v+1]]
}

// slotPartners builds the partners of the spilled registers by counting sort over the
// edges, in time linear in the branch arguments.
func (a *allocator) slotPartners(spilled []VReg) slotPartners {
	isSpilled := newBitset(a.nvregs)
	for _, v := range spilled {
		isSpilled.add(int(v))
	}
	has := func(v VReg) bool { return isSpilled[v>>6]&(1<<(v&63)) != 0 }
	var p slotPartners
	p.start = make([]int32, a.nvregs+1)
	each := func(f func(arg, param VReg)) {
		for b := range a.nblocks {
			for k, s := range a.succs[b] {
				for j, arg := range a.args[b][k] {
					if param := a.params[s][j]; arg != param && has(arg) && has(param) {
						f(arg, param)
					}
				}
			}
		}
	}
	each(func(arg, param VReg) { p.start[arg+1]++; p.start[param+1]++ })
	for v := range a.nvregs {
		p.start[v+1] += p.start[v]
	}
	p.list = make([]VReg, p.start[a.nvregs])
	next := slices.Clone(p.start[:a.nvregs])
	each(func(arg, param VReg) {
		p.list[next[arg]] = param
		next[arg]++
		p.list[next[param]] = arg
		next[param]++
	})
	return p
}
