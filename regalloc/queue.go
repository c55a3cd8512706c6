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
	count  []int32      // scratch for the sort, per position
	// codes are scratch for the sort, per interval in the order of a.children: its
	// start, whether it is a ReuseDef's, and its entry in sorted, read twice where the
	// intervals themselves were three times (issue 21).
	codes []uint64
	reuse []uint64 // the codes of ReuseDefs, which are few
}

// fill empties q and lists in it the intervals of a.children, n in all, by startKey: by
// start, then a ReuseDef first, then by vreg. Each of a.children lists a value's interval
// from its definition, and before it the part before the definition, if any.
//
// The sort counts per position, placing the ReuseDefs first and then, in one walk, the
// others, each in vreg order. Counting per instruction, for half the memory, took three
// walks over the intervals (early starts, ReuseDefs, other late starts), which were
// two fifths of fill (issue 21).
func (q *unhandledQueue) fill(a *allocator, n int) {
	q.split.reset()
	q.sorted, q.next = resize(q.sorted, n), 0
	q.count = resize(q.count, 2*a.ninstrs+1)
	count := q.count // count[p+1] intervals start at p; then, where the next one starting at p goes
	codes, reuse := slices.Grow(q.codes[:0], n), q.reuse[:0]
	for _, v := range a.tables.withInterval {
		cs := a.children[v]
		for k, it := range cs {
			p := it.start()
			count[p+1]++
			e := 2 * uint64(v)
			if len(cs) == 2 && k == 0 {
				e++
			}
			if a.isReuseStart(it) {
				e |= codeReuse
				reuse = append(reuse, uint64(p)<<32|e)
			}
			codes = append(codes, uint64(p)<<32|e)
		}
	}
	q.codes, q.reuse = codes, reuse
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	sorted := q.sorted
	for _, c := range reuse {
		p := int32(c >> 32)
		sorted[count[p]] = uint32(c) &^ uint32(codeReuse)
		count[p]++
	}
	for _, c := range codes {
		if c&codeReuse != 0 {
			continue
		}
		p := int32(c >> 32)
		sorted[count[p]] = uint32(c)
		count[p]++
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
