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
