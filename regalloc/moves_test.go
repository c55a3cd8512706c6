package regalloc

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSequentialize checks random parallel moves over four registers and four slots, with
// fan-out, chains and cycles (register, slot and mixed), against their parallel meaning: after
// the edits every destination holds what its source held before, and every other location
// except the scratch register and the cycle slot is unchanged.
func TestSequentialize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	locs := []Loc{RegLoc(0), RegLoc(1), RegLoc(2), RegLoc(3), SlotLoc(0), SlotLoc(1), SlotLoc(2), SlotLoc(3)}
	extra, memCycles := 0, 0
	for iter := 0; iter < 20000; iter++ {
		a := &allocator{
			cfg:   &Config{Scratch: [NumClasses]PReg{15, 31}},
			class: make([]Class, len(locs)),
			slots: []Class{ClassInt, ClassInt, ClassInt, ClassInt},
		}
		a.cycleSlot = [NumClasses]int32{-1, -1}
		// Random distinct destinations, each with a random source.
		var moves []pmove
		for _, j := range rng.Perm(len(locs))[:1+rng.IntN(len(locs))] {
			from := locs[rng.IntN(len(locs))]
			if from != locs[j] {
				moves = append(moves, pmove{from, locs[j], VReg(0)})
			}
		}
		if rng.IntN(2) == 0 { // a full permutation: only cycles
			moves = moves[:0]
			for i, j := range rng.Perm(len(locs)) {
				if i != j {
					moves = append(moves, pmove{locs[i], locs[j], 0})
				}
			}
		}
		edits := a.sequentialize(0, moves, nil)
		state := map[Loc]int{}
		for i, l := range locs {
			state[l] = i
		}
		for _, e := range edits {
			if e.From.IsSlot() && e.To.IsSlot() {
				t.Fatalf("slot-to-slot edit %v", e)
			}
			v, ok := state[e.From]
			if !ok {
				t.Fatalf("edit reads %v, which was never written", e.From)
			}
			state[e.To] = v
		}
		want := map[Loc]int{}
		for i, l := range locs {
			want[l] = i
		}
		for _, m := range moves {
			want[m.to] = slices.Index(locs, m.from)
		}
		for _, l := range locs {
			if state[l] != want[l] {
				t.Fatalf("moves %v: after %v, %v holds %d, want %d", moves, edits, l, state[l], want[l])
			}
		}
		if len(edits) > len(moves) {
			extra++
		}
		if a.cycleSlot[ClassInt] >= 0 {
			memCycles++
		}
	}
	if extra == 0 || memCycles == 0 {
		t.Errorf("no cycles exercised (%d extra edits, %d cycles through a slot)", extra, memCycles)
	}
}

// TestSequentializeMatchesPasses compares sequentialize with sequentializeRef, the passes
// run as they are described, on random parallel moves of up to 300 moves over 64
// registers and 64 slots: chains, fan-out, register, slot and mixed cycles. Both must
// emit the same edits and reserve the same cycle slots.
func TestSequentializeMatchesPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var locs []Loc
	for i := range 64 {
		locs = append(locs, RegLoc(PReg(i)), SlotLoc(i))
	}
	for iter := range 3000 {
		n := 1 + rng.IntN(len(locs))
		if iter%3 == 0 {
			n = 1 + rng.IntN(8)
		}
		var moves []pmove
		dests := rng.Perm(len(locs))[:n]
		switch rng.IntN(3) {
		case 0: // random sources: chains, fan-out, some cycles
			for _, j := range dests {
				if from := locs[rng.IntN(len(locs))]; from != locs[j] {
					moves = append(moves, pmove{from, locs[j], VReg(rng.IntN(4))})
				}
			}
		case 1: // a permutation of the destinations: only cycles
			for k, j := range rng.Perm(n) {
				if k != j {
					moves = append(moves, pmove{locs[dests[k]], locs[dests[j]], VReg(rng.IntN(4))})
				}
			}
		default: // sources among the destinations: long chains and cycles
			for _, j := range dests {
				if from := locs[dests[rng.IntN(n)]]; from != locs[j] {
					moves = append(moves, pmove{from, locs[j], VReg(rng.IntN(4))})
				}
			}
		}
		newA := func() *allocator {
			a := &allocator{
				cfg:   &Config{Scratch: [NumClasses]PReg{126, 127}},
				class: []Class{ClassInt, ClassFloat, ClassInt, ClassFloat},
				slots: make([]Class, 64),
			}
			a.cycleSlot = [NumClasses]int32{-1, -1}
			return a
		}
		got, want := newA(), newA()
		ge := got.sequentialize(7, moves, nil)
		ge = got.sequentialize(8, moves, ge) // a second call reuses the scratch space
		we := sequentializeRef(want, 7, moves, nil)
		we = sequentializeRef(want, 8, moves, we)
		if !slices.Equal(ge, we) || got.cycleSlot != want.cycleSlot || !slices.Equal(got.slots, want.slots) {
			t.Fatalf("moves %v:\nedits %v\nwant  %v", moves, ge, we)
		}
	}
}

// sequentializeRef is sequentialize as it was before its passes were simulated: each pass
// scans the pending moves, and each move the pending moves, for readers.
func sequentializeRef(a *allocator, before int, moves []pmove, edits []Edit) []Edit {
	pending := append([]pmove(nil), moves...)
	for i, m := range pending {
		for _, n := range pending[:i] {
			if m.to == n.to {
				panic("regalloc: two values moved to one location")
			}
		}
	}
	emit := func(m pmove) {
		if m.from.IsSlot() && m.to.IsSlot() {
			sc := RegLoc(a.cfg.Scratch[a.class[m.v]])
			edits = append(edits, Edit{before, m.from, sc, m.v}, Edit{before, sc, m.to, m.v})
			return
		}
		edits = append(edits, Edit{before, m.from, m.to, m.v})
	}
	readBy := func(l Loc, skip int) int {
		for j, m := range pending {
			if j != skip && m.from == l {
				return j
			}
		}
		return -1
	}
	for len(pending) > 0 {
		progress := false
		for j := 0; j < len(pending); {
			if readBy(pending[j].to, j) >= 0 {
				j++
				continue
			}
			emit(pending[j])
			pending = append(pending[:j], pending[j+1:]...)
			progress = true
		}
		if progress {
			continue
		}
		// Break the cycle through pending[0]: save its destination in a temporary.
		m := pending[0]
		class := a.class[m.v]
		memToMem := false
		for j := 0; ; {
			memToMem = memToMem || pending[j].from.IsSlot() && pending[j].to.IsSlot()
			j = readBy(pending[j].to, j)
			if j == 0 {
				break
			}
		}
		tmp := RegLoc(a.cfg.Scratch[class])
		if memToMem {
			if a.cycleSlot[class] < 0 {
				a.cycleSlot[class] = int32(len(a.slots))
				a.slots = append(a.slots, class)
			}
			tmp = SlotLoc(int(a.cycleSlot[class]))
		}
		reader := readBy(m.to, 0)
		emit(pmove{m.to, tmp, pending[reader].v})
		for j := range pending {
			if pending[j].from == m.to {
				pending[j].from = tmp
			}
		}
	}
	return edits
}
