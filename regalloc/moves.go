package regalloc

import "slices"

// sequentialize appends to edits a sequence of moves with the effect of the parallel move
// moves (all sources read before any destination is written), placed before instruction
// before. Destinations are distinct.
//
// Moves are emitted in passes over the pending moves in order: a pass emits each move no
// other pending move still reads the destination of. When a pass emits nothing, the pending
// moves form disjoint cycles (each location written once and read once); the cycle through
// the first pending move is broken by saving its destination in a temporary and reading it
// from there. The temporary is the class's scratch register, or, when the cycle contains a
// slot-to-slot move, a spill slot reserved for cycles, because a slot-to-slot move itself
// goes through the scratch register (slot → scratch, scratch → slot). A cycle is finished
// before the next is broken, so one temporary per class suffices. Swaps (xchg) are not
// used: arm64 has none.
//
// The passes are simulated, not run: a move can only become ready when the last pending
// reader of its destination is emitted, so each emission looks at one move, which joins
// the current pass if it comes later in the order and the next one otherwise. An edge
// into a loop header with 20,000 parameters once took a scan of all pending moves per
// move, 400 million steps; it now takes O(n log n).
func (a *allocator) sequentialize(before int, moves []pmove, edits []Edit) []Edit {
	s := &a.seq
	s.reset(moves)
	emit := func(m pmove) {
		if m.from.IsSlot() && m.to.IsSlot() {
			sc := RegLoc(a.cfg.Scratch[a.class[m.v]])
			edits = append(edits, Edit{before, m.from, sc, m.v}, Edit{before, sc, m.to, m.v})
			return
		}
		edits = append(edits, Edit{before, m.from, m.to, m.v})
	}
	for i := range moves {
		if s.count[s.to[i]] == 0 {
			s.cur.items = append(s.cur.items, int32(i)) // in order, so already a heap
		}
	}
	first, left := 0, len(moves) // the first pending move, and how many are pending
	for left > 0 {
		progress := false
		for s.cur.len() > 0 {
			i := s.cur.pop()
			emit(s.pending[i])
			s.done[i] = true
			left--
			progress = true
			// The move writing what i read may now be ready: in this pass if it comes later.
			f := s.from[i]
			if s.count[f]--; s.count[f] == 0 {
				if w := s.writer[f]; w >= 0 && !s.done[w] {
					if w > i {
						s.cur.push(w)
					} else {
						s.next = append(s.next, w)
					}
				}
			}
		}
		if progress {
			s.cur.items, s.next = s.next, s.cur.items[:0]
			slices.Sort(s.cur.items) // sorted, so a heap
			continue
		}
		// Break the cycle through the first pending move: save its destination in a
		// temporary.
		for s.done[first] {
			first++
		}
		m := s.pending[first]
		class := a.class[m.v]
		memToMem := false
		for j := int32(first); ; {
			memToMem = memToMem || s.pending[j].from.IsSlot() && s.pending[j].to.IsSlot()
			j = s.readBy(s.to[j], j)
			if j == int32(first) {
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
		reader := s.readBy(s.to[first], int32(first))
		emit(pmove{m.to, tmp, s.pending[reader].v})
		s.redirect(s.to[first], tmp)
		s.cur.items = append(s.cur.items, int32(first))
	}
	return edits
}

// moveState is sequentialize's working memory, kept by the allocator between calls.
// Locations are numbered densely (ids), in order, with one more id for the temporary of
// the cycle being broken.
type moveState struct {
	pending  []pmove // the moves, whose sources change when a cycle is broken
	locs     []Loc   // the locations of the moves, sorted: a location's id is its index
	from, to []int32 // per move, its locations' ids
	done     []bool  // per move, emitted
	count    []int32 // per location, its pending readers
	writer   []int32 // per location, the move writing it, or -1
	// The moves reading location l, in order, are readers[rnext[l]:rend[l]], emitted ones
	// among them dropped as they are met.
	readers, rnext, rend []int32
	cur                  minHeap[int32] // ready moves of the current pass
	next                 []int32        // moves ready for the next pass
}

func (s *moveState) reset(moves []pmove) {
	n := len(moves)
	s.pending = append(s.pending[:0], moves...)
	s.locs = s.locs[:0]
	for _, m := range moves {
		s.locs = append(s.locs, m.from, m.to)
	}
	slices.Sort(s.locs)
	s.locs = slices.Compact(s.locs)
	nl := len(s.locs) + 1 // the last id is the temporary's
	s.from, s.to = grow(s.from, n), grow(s.to, n)
	s.done = slices.Grow(s.done[:0], n)[:n]
	clear(s.done)
	s.count, s.writer = grow(s.count, nl), grow(s.writer, nl)
	s.rnext, s.rend = grow(s.rnext, nl), grow(s.rend, nl)
	s.readers = grow(s.readers, n)
	clear(s.count)
	for l := range s.writer {
		s.writer[l] = -1
	}
	for i, m := range moves {
		f, _ := slices.BinarySearch(s.locs, m.from)
		t, _ := slices.BinarySearch(s.locs, m.to)
		s.from[i], s.to[i] = int32(f), int32(t)
		if s.writer[t] >= 0 {
			panic("regalloc: two values moved to one location")
		}
		s.writer[t] = int32(i)
		s.count[f]++
	}
	// A counting sort of the moves by the location they read.
	at := int32(0)
	for l := range nl {
		s.rnext[l], s.rend[l] = at, at
		at += s.count[l]
	}
	for i := range moves {
		f := s.from[i]
		s.readers[s.rend[f]] = int32(i)
		s.rend[f]++
	}
	s.cur.items, s.next = s.cur.items[:0], s.next[:0]
	s.cur.less = func(x, y int32) bool { return x < y }
}

// readBy is the first pending move other than skip that reads location l, or -1.
func (s *moveState) readBy(l, skip int32) int32 {
	for k := s.rnext[l]; k < s.rend[l]; k++ {
		j := s.readers[k]
		switch {
		case s.done[j]:
			if k == s.rnext[l] {
				s.rnext[l]++
			}
		case j != skip:
			return j
		}
	}
	return -1
}

// redirect makes the pending readers of location l read the temporary tmp instead, which
// no other move reads or writes (a cycle's readers of it are emitted before the next
// cycle is broken).
func (s *moveState) redirect(l int32, tmp Loc) {
	t := int32(len(s.locs))
	s.rnext[t], s.rend[t] = s.rnext[l], s.rend[l]
	s.rnext[l] = s.rend[l]
	for _, j := range s.readers[s.rnext[t]:s.rend[t]] {
		if !s.done[j] {
			s.pending[j].from, s.from[j] = tmp, t
		}
	}
	s.count[t], s.count[l] = s.count[l], 0
}

func grow(s []int32, n int) []int32 { return slices.Grow(s[:0], n)[:n] }
