package regalloc

// lists holds one list per block (or per edge) in a single array: list i is
// all[start[i]:start[i+1]]. A slice per block cost a function of 300,000 blocks more
// memory than its instructions (issue 19).
type lists[T any] struct {
	start []int32 // len is the number of lists + 1
	all   []T
}

// at is list i, capped so that an append to it cannot overwrite list i+1.
func (l *lists[T]) at(i int) []T {
	lo, hi := l.start[i], l.start[i+1]
	return l.all[lo:hi:hi]
}

// add appends s as the next list.
func (l *lists[T]) add(s []T) {
	if l.start == nil {
		l.start = []int32{0}
	}
	l.all = append(l.all, s...)
	l.start = append(l.start, int32(len(l.all)))
}

// listsOf packs s.
func listsOf[T any](s [][]T) lists[T] {
	n := 0
	for _, x := range s {
		n += len(x)
	}
	l := lists[T]{start: make([]int32, 1, len(s)+1), all: make([]T, 0, n)}
	for _, x := range s {
		l.add(x)
	}
	return l
}
