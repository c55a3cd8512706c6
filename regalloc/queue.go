package regalloc

import "slices"

// The scan's unhandled intervals, taken in startKey order. Those built before the scan are
// put in that order once, by a counting sort on their starts; only the parts split off
// during the scan go through a heap, and each step takes the lesser of the two heads. With
// every interval in the heap, sifting was a twentieth of the allocator's time at -O2 on
// encoding/json's test binary (issue 21), and most intervals are never split.
type unhandledQueue struct {
	// sorted are the intervals built before the scan, by startKey, as 2v+1 for the part
	// of v before its definition (children[v][0]) and 2v for the one from it (first[v]):
	// no pointers, which the collector would scan and each write of which would be a
	// write barrier while it runs, and half the size.
	sorted []uint32
	next   int          // sorted[next:] are still unhandled
	split  intervalHeap // the parts split off during the scan
	count  []int32      // scratch for the sort, per instruction
	// codes are scratch for the sort, per interval in the order of a.children: its
	// start, whether it is a ReuseDef's, and its entry in sorted, read three times
	// where the intervals themselves were (issue 21).
	codes []uint64
}

// fill empties q and lists in it the intervals of a.children, n in all, by startKey: by
// start, then a ReuseDef first, then by vreg. Each of a.children lists a value's interval
// from its definition, and before it the part before the definition, if any.
//
// The sort counts per instruction, not per position, for half the memory: an instruction's
// intervals starting at its early position go first, then those at its late one, ReuseDefs
// first. So three stable placements in vreg order sort them: the early starts, the
// ReuseDefs, then the other late starts.
func (q *unhandledQueue) fill(a *allocator, n int) {
	q.split.reset()
	q.sorted, q.next = resize(q.sorted, n), 0
	q.count = resize(q.count, a.ninstrs+1)
	count := q.count // count[i+1] intervals start at i; then, where the next one starting at i goes
	codes := slices.Grow(q.codes[:0], n)
	for _, v := range a.tables.withInterval {
		cs := a.children[v]
		for k, it := range cs {
			p := it.start()
			count[p/2+1]++
			e := 2 * uint64(v)
			if len(cs) == 2 && k == 0 {
				e++
			}
			if a.isReuseStart(it) {
				e |= codeReuse
			}
			codes = append(codes, uint64(p)<<32|e)
		}
	}
	q.codes = codes
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	for pass := range 3 {
		for _, c := range codes {
			p, reuse := int32(c>>32), c&codeReuse != 0
			switch {
			case pass == 0 && p%2 != 0, pass == 1 && (p%2 == 0 || !reuse), pass == 2 && (p%2 == 0 || reuse):
				continue
			}
			q.sorted[count[p/2]] = uint32(c) &^ uint32(codeReuse)
			count[p/2]++
		}
	}
}

// codeReuse marks, in a code of fill, an interval that is a ReuseDef's.
const codeReuse = 1 << 31

func (q *unhandledQueue) len() int { return len(q.sorted) - q.next + q.split.len() }

// pop removes and returns the unhandled interval of least startKey; q must not be empty.
func (q *unhandledQueue) pop(a *allocator) *interval {
	if q.next < len(q.sorted) {
		e := q.sorted[q.next]
		it := a.first[e/2]
		if e%2 != 0 {
			it = a.children[e/2][0]
		}
		if q.split.len() == 0 || a.startKey(it) < q.split.minKey() {
			q.next++
			return it
		}
	}
	return q.split.pop()
}

// push queues it, split off during the scan.
func (q *unhandledQueue) push(a *allocator, it *interval) { q.split.push(a.startKey(it), it) }
