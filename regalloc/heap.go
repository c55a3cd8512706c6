package regalloc

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

// intervalHeap is the scan's unhandled intervals: a binary min-heap by startKey. The key
// is computed once, when an interval is pushed, where comparing two intervals read their
// spans and definitions at each step of the heap, a fifth of the scan's time.
type intervalHeap struct{ items []heapItem }

type heapItem struct {
	key uint64
	it  *interval
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

func (h *intervalHeap) len() int { return len(h.items) }

// add appends it without keeping the heap's order; init restores it.
func (h *intervalHeap) add(key uint64, it *interval) { h.items = append(h.items, heapItem{key, it}) }

// init orders the heap in linear time (Floyd).
func (h *intervalHeap) init() {
	for i := len(h.items)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *intervalHeap) push(key uint64, it *interval) {
	h.items = append(h.items, heapItem{key, it})
	for i := len(h.items) - 1; i > 0; {
		p := (i - 1) / 2
		if h.items[i].key >= h.items[p].key {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *intervalHeap) pop() *interval {
	top := h.items[0].it
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items[n] = heapItem{}
	h.items = h.items[:n]
	h.down(0)
	return top
}

func (h *intervalHeap) down(i int) {
	items, n := h.items, len(h.items)
	for {
		l, m := 2*i+1, i
		if l < n && items[l].key < items[m].key {
			m = l
		}
		if l+1 < n && items[l+1].key < items[m].key {
			m = l + 1
		}
		if m == i {
			return
		}
		items[i], items[m] = items[m], items[i]
		i = m
	}
}
