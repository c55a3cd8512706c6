package regalloc

import (
	"cmp"
	"math"
	"slices"
)

// maxPos is later than every position.
const maxPos int32 = math.MaxInt32

// span is the half-open range of positions [from, to).
type span struct{ from, to int32 }

// usePos is a position where an interval's value is read or written. must means a register is
// required there: every use and def except the source of a copy.
type usePos struct {
	pos  int32
	must bool
}

// interval is the lifetime of one virtual register, or of a part of it after splitting (a
// child), or the blocked positions of one physical register (fixed). Its spans are sorted,
// disjoint and non-adjacent; the gaps between them are holes where the value is dead.
type interval struct {
	vreg    VReg
	class   Class
	spans   []span
	uses    []usePos // sorted, within the spans
	reg     PReg     // assigned register, or NoReg
	spilled bool     // assigned the vreg's spill slot
	def     bool     // starts at the vreg's definition
}

func (it *interval) start() int32 { return it.spans[0].from }
func (it *interval) end() int32   { return it.spans[len(it.spans)-1].to }

// addSpan prepends [from, to) to the spans: intervals are built walking backwards, so spans
// arrive in decreasing order and are reversed once at the end. Overlapping or touching spans
// merge.
func (it *interval) addSpan(from, to int32) {
	if n := len(it.spans); n > 0 {
		last := &it.spans[n-1]
		if to >= last.from {
			last.from = min(last.from, from)
			last.to = max(last.to, to)
			return
		}
	}
	it.spans = append(it.spans, span{from, to})
}

// addUse records a use while walking backwards; a repeated position keeps the stricter kind.
func (it *interval) addUse(pos int32, must bool) {
	if n := len(it.uses); n > 0 && it.uses[n-1].pos == pos {
		it.uses[n-1].must = it.uses[n-1].must || must
		return
	}
	it.uses = append(it.uses, usePos{pos, must})
}

// finish reverses the spans and uses gathered backwards.
func (it *interval) finish() {
	for i, j := 0, len(it.spans)-1; i < j; i, j = i+1, j-1 {
		it.spans[i], it.spans[j] = it.spans[j], it.spans[i]
	}
	for i, j := 0, len(it.uses)-1; i < j; i, j = i+1, j-1 {
		it.uses[i], it.uses[j] = it.uses[j], it.uses[i]
	}
}

// spanFrom is the index of the first span that ends after pos.
func (it *interval) spanFrom(pos int32) int {
	if len(it.spans) > 0 && it.spans[0].to > pos {
		return 0 // the scan asks mostly from an interval's start
	}
	lo, hi := 0, len(it.spans)
	for lo < hi {
		m := (lo + hi) / 2
		if it.spans[m].to <= pos {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// covers reports whether the value is live at pos.
func (it *interval) covers(pos int32) bool {
	i := it.spanFrom(pos)
	return i < len(it.spans) && it.spans[i].from <= pos
}

// nextIntersection is the first position at or after from where both intervals are live, or
// maxPos.
func (it *interval) nextIntersection(other *interval, from int32) int32 {
	return it.intersectionFrom(it.spanFrom(from), other, from)
}

// intersectionFrom is nextIntersection when it's first span ending after from is i.
func (it *interval) intersectionFrom(i int, other *interval, from int32) int32 {
	j := other.spanFrom(from)
	for i < len(it.spans) && j < len(other.spans) {
		a, b := it.spans[i], other.spans[j]
		lo := max(a.from, b.from, from)
		if lo < min(a.to, b.to) {
			return lo
		}
		if a.to <= b.to {
			i++
		} else {
			j++
		}
	}
	return maxPos
}

// nextMustUse is the first position at or after from where the interval needs a register, or
// maxPos.
func (it *interval) nextMustUse(from int32) int32 { return it.next(from, true) }

// nextUse is the position of the first use at or after from of any kind, maxPos if none.
// A use that could read the spill slot (a copy's source, often a two-address operation's
// first operand) still costs a load there, so the choice of what to evict counts it.
func (it *interval) nextUse(from int32) int32 { return it.next(from, false) }

// next is the first use at or after from, a must use only if must is set.
func (it *interval) next(from int32, must bool) int32 {
	lo, hi := 0, len(it.uses)
	for lo < hi {
		m := (lo + hi) / 2
		if it.uses[m].pos < from {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for _, u := range it.uses[lo:] {
		if u.must || !must {
			return u.pos
		}
	}
	return maxPos
}

// lastUseBefore is the last use position before pos, or -1.
func (it *interval) lastUseBefore(pos int32) int32 {
	u, _ := slices.BinarySearchFunc(it.uses, pos, func(u usePos, pos int32) int { return cmp.Compare(u.pos, pos) })
	if u == 0 {
		return -1
	}
	return it.uses[u-1].pos
}

// splitAt cuts the interval at pos (start < pos) and returns the part from pos on, or nil if
// the value is dead from pos on. The caller records the child. Both come from ar.
//
// The child takes the tail of the spans and uses without copying it; only the parent's
// part is copied, and only when pos falls inside a span, whose two halves then differ. A
// value used in every one of 20,000 blocks and split before each use once copied its
// remaining uses at each split, gigabytes in all; now each split costs what the parent
// keeps, and a part is split at most a few times (when allocated, when evicted).
func (it *interval) splitAt(pos int32, ar *arena) *interval {
	k := it.spanFrom(pos)
	if k == len(it.spans) {
		return nil
	}
	child := ar.newInterval()
	child.vreg, child.class, child.reg = it.vreg, it.class, NoReg
	if s := it.spans[k]; s.from < pos {
		head := ar.spans.take(k + 1)
		copy(head, it.spans[:k])
		head[k] = span{s.from, pos}
		child.spans = it.spans[k:]
		child.spans[0].from = pos // no other interval holds this element: the parent's is head[k]
		it.spans = head
	} else {
		child.spans = it.spans[k:]
		it.spans = it.spans[:k:k]
	}
	u, _ := slices.BinarySearchFunc(it.uses, pos, func(u usePos, pos int32) int { return cmp.Compare(u.pos, pos) })
	child.uses = it.uses[u:]
	it.uses = it.uses[:u:u]
	return child
}

// bitset is a dense set of small integers.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (s bitset) add(i int)      { s[i>>6] |= 1 << (i & 63) }
func (s bitset) has(i int) bool { return s[i>>6]&(1<<(i&63)) != 0 }
