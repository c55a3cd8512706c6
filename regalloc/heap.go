package regalloc

import "slices"

// minHeap is a binary min-heap ordered by less. Unlike container/heap it does not box each
// element into an interface, which allocated on every push of a slot or a move number.
type minHeap[T any] struct {
	items []T
	less  func(x, y T) bool
}

func (h *minHeap[T]) len() int { return len(h.items) }

// min is the least element; the heap must not be empty.
func (h *minHeap[T]) min() T { return h.items[0] }

func (h *minHeap[T]) push(x T) {
	h.items = append(h.items, x)
	for i := len(h.items) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.items[i], h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *minHeap[T]) pop() T {
	top := h.items[0]
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && h.less(h.items[l], h.items[m]) {
			m = l
		}
		if l+1 < n && h.less(h.items[l+1], h.items[m]) {
			m = l + 1
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

// intervalHeap is the scan's unhandled intervals split off during the scan (queue.go): a
// binary min-heap by startKey. The key is computed once, when an interval is pushed,
// where comparing two intervals read their spans and definitions at each step of the
// heap, a fifth of the scan's time. The heap
// orders keys and numbers into its, which holds the intervals in the order they came:
// sifting then moves no pointer, and each move of one was a write barrier while the
// collector ran (issue 21).
type intervalHeap struct {
	items []heapItem
	its   []*interval // by heapItem.i
}

type heapItem struct {
	key uint64
	i   uint32 // the interval's index in its
}

// startKey orders the unhandled intervals by start; among equal starts a ReuseDef comes
// first (so that no other def of its instruction takes the register it must have), then by
// vreg. Distinct intervals have distinct keys, so the order does not depend on the heap's
// shape.
func (a *allocator) startKey(it *interval) uint64 {
	k := uint64(it.start())<<33 | uint64(it.vreg)
	if !a.isReuseStart(it) {
		k |= 1 << 32
	}
	return k
}

// reset empties the heap, keeping its arrays; the intervals it held are forgotten.
func (h *intervalHeap) reset() {
	clear(h.its)
	h.items, h.its = h.items[:0], h.its[:0]
}

func (h *intervalHeap) len() int { return len(h.items) }

// add appends it without keeping the heap's order: push's first step. The arrays double
// when full: grown by append, by a quarter at a time once large, the heap of a cold
// allocator on a huge function allocated five times what it came to hold
// (TestHostileWork).
func (h *intervalHeap) add(key uint64, it *interval) {
	if len(h.items) == cap(h.items) {
		h.items = slices.Grow(h.items, max(len(h.items), 64))
	}
	if len(h.its) == cap(h.its) {
		h.its = slices.Grow(h.its, max(len(h.its), 64))
	}
	h.items = append(h.items, heapItem{key, uint32(len(h.its))})
	h.its = append(h.its, it)
}

// minKey is the least key; the heap must not be empty.
func (h *intervalHeap) minKey() uint64 { return h.items[0].key }

func (h *intervalHeap) push(key uint64, it *interval) {
	h.add(key, it)
	items := h.items
	i := len(items) - 1
	x := items[i]
	for i > 0 {
		p := (i - 1) / 2
		if x.key >= items[p].key {
			break
		}
		items[i] = items[p]
		i = p
	}
	items[i] = x
}

func (h *intervalHeap) pop() *interval {
	top := h.its[h.items[0].i]
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	if n > 0 {
		h.down(0)
	}
	return top
}

// down moves the item at i down to its place, shifting the lesser children up into the
// hole it leaves rather than swapping at each level.
func (h *intervalHeap) down(i int) {
	items, n := h.items, len(h.items)
	x := items[i]
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if l+1 < n && items[l+1].key < items[l].key {
			m = l + 1
		}
		if items[m].key >= x.key {
			break
		}
		items[i] = items[m]
		i = m
	}
	items[i] = x
}
