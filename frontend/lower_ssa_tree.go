package frontend

import (
	"math"
	"slices"

	"github.com/wasmc/wasmc/ir"
)

// inheritTree says, for SSA construction (lower_ssa.go), where a block's values of the
// locals come from when the block itself does not set them. Structured code makes the
// answer a tree built as the code is read:
//
//   - a block with one predecessor by construction (an if arm, the continuation of a
//     br_if) inherits from that predecessor;
//   - a join (the end of a block or an if) inherits from its head, the block in which
//     the construct began, unless code in between (its region) wrote the local;
//   - a loop header inherits from the block before the loop, unless its body writes the
//     local; while it is unsealed its body is not all known, so it always stops a search.
//
// Every write of a local gets a sequence number in code order, and every block the
// number the next write would get when its range began (lo): its own code, and for a
// join also its region, and for an else arm the then arm before it. Along a path to the
// root lo only falls and the ranges tile the code before the path's first block, so the
// latest write of a local before a point lies in the range of exactly one block on the
// path: the nearest block whose lo is at most that write's number. Skew-binary jump
// pointers (Myers, "An applicative random-access stack", 1983) find that block in a
// logarithmic number of steps, so a lookup costs that, not a step per block, and no
// block records the locals that merely pass through it.
type inheritTree struct {
	parent []ir.BlockID // ir.NoBlock for the entry
	jump   []ir.BlockID // an ancestor, for the skew-binary search
	depth  []int32
	lo     []int32 // the first write number in the block's range
	hi     []int32 // a join's region and a sealed loop's body end before this number
	end    []int32 // writes in the block are numbered below this (MaxInt32 while current)
	loop   []ir.BlockID

	seq int32 // the number of the latest write

	// writes holds each local's write numbers in increasing order: densely by local
	// for functions of up to denseWriteLocals locals, else in sparseWrites.
	writes       [][]int32
	touched      []uint32
	sparseWrites map[uint32][]int32
}

// denseWriteLocals bounds the per-local table of writes, which costs a slice header per
// local: a function may declare 2^24 locals in a few bytes.
const denseWriteLocals = 1 << 16

func (t *inheritTree) reset(locals int) {
	t.parent, t.jump, t.depth = t.parent[:0], t.jump[:0], t.depth[:0]
	t.lo, t.hi, t.end, t.loop = t.lo[:0], t.hi[:0], t.end[:0], t.loop[:0]
	t.seq = 0
	for _, x := range t.touched {
		t.writes[x] = t.writes[x][:0]
	}
	t.touched = t.touched[:0]
	t.sparseWrites = nil
	if locals <= denseWriteLocals {
		if len(t.writes) < locals {
			t.writes = append(t.writes, make([][]int32, locals-len(t.writes))...)
		}
	} else {
		t.sparseWrites = map[uint32][]int32{}
	}
}

// next is the number the next write will get.
func (t *inheritTree) next() int32 { return t.seq + 1 }

// add records blk with its parent and range; lo and hi as in inheritTree.
func (t *inheritTree) add(blk, parent ir.BlockID, lo, hi int32, loop ir.BlockID) {
	if int(blk) >= len(t.parent) {
		t.grow(int(blk) + 1)
	}
	t.parent[blk], t.lo[blk], t.hi[blk], t.loop[blk] = parent, lo, hi, loop
	t.end[blk] = math.MaxInt32
	if parent == ir.NoBlock {
		t.jump[blk], t.depth[blk] = blk, 0
		return
	}
	t.depth[blk] = t.depth[parent] + 1
	t.jump[blk] = parent
	if j := t.jump[parent]; t.depth[parent]-t.depth[j] == t.depth[j]-t.depth[t.jump[j]] {
		t.jump[blk] = t.jump[j]
	}
}

// grow makes the per-block arrays at least n long, the new entries those of a block not
// added yet. Blocks are added about in order, and lengthening the seven arrays by one
// entry per block was most of add's cost, so they grow by half their length at least
// (issue 21).
func (t *inheritTree) grow(n int) {
	n = max(n, len(t.parent)+len(t.parent)/2, 16)
	t.parent = growTo(t.parent, n, ir.NoBlock)
	t.jump = growTo(t.jump, n, ir.NoBlock)
	t.depth = growTo(t.depth, n, 0)
	t.lo = growTo(t.lo, n, 0)
	t.hi = growTo(t.hi, n, 0)
	t.end = growTo(t.end, n, math.MaxInt32)
	t.loop = growTo(t.loop, n, ir.NoBlock)
}

// growTo returns s lengthened to n, the new entries set to fill.
func growTo[T any](s []T, n int, fill T) []T {
	old := len(s)
	s = slices.Grow(s, n-old)[:n]
	for i := old; i < n; i++ {
		s[i] = fill
	}
	return s
}

// entry records the function's entry block.
// Its lo is below every write number, so that every search stops there at the latest.
func (t *inheritTree) entry(blk ir.BlockID) { t.add(blk, ir.NoBlock, -1, -1, ir.NoBlock) }

// child records a block whose only predecessor, from, ends where it begins.
func (t *inheritTree) child(blk, from ir.BlockID) {
	n := t.next()
	t.add(blk, from, n, n, t.loop[from])
}

// elseArm records an if's else arm: its predecessor is the if's head, and its range
// begins where the then arm's did (lo), so that a write in the then arm, which it does
// not see, is not taken for one of its ancestors'.
func (t *inheritTree) elseArm(blk, head ir.BlockID, lo int32) {
	t.add(blk, head, lo, lo, t.loop[head])
}

// join records the end block of a construct that began in head when the next write
// number was lo: the code since then is its region.
func (t *inheritTree) join(blk, head ir.BlockID, lo int32) {
	t.add(blk, head, lo, t.next(), t.loop[head])
}

// loopHeader records a loop's header, entered from from.
func (t *inheritTree) loopHeader(blk, from ir.BlockID) {
	t.add(blk, from, t.next(), math.MaxInt32, blk)
}

// sealLoop records that the body of the loop headed by blk is complete.
func (t *inheritTree) sealLoop(blk ir.BlockID) { t.hi[blk] = t.next() }

// leave records that the code of blk, the current block, ends here.
func (t *inheritTree) leave(blk ir.BlockID) {
	if int(blk) < len(t.end) {
		t.end[blk] = t.next()
	}
}

// wrote numbers a write of local x.
func (t *inheritTree) wrote(x uint32) {
	t.seq++
	if t.sparseWrites != nil {
		t.sparseWrites[x] = append(t.sparseWrites[x], t.seq)
		return
	}
	if len(t.writes[x]) == 0 {
		t.touched = append(t.touched, x)
	}
	t.writes[x] = append(t.writes[x], t.seq)
}

func (t *inheritTree) writesOf(x uint32) []int32 {
	if t.sparseWrites != nil {
		return t.sparseWrites[x]
	}
	return t.writes[x]
}

// lastWrite returns the number of the latest write of x numbered below bound, or -1.
func (t *inheritTree) lastWrite(x uint32, bound int32) int32 {
	ws := t.writesOf(x)
	i, _ := slices.BinarySearch(ws, bound)
	if i == 0 {
		return -1
	}
	return ws[i-1]
}

// wroteIn reports whether x has a write numbered in [lo, hi).
func (t *inheritTree) wroteIn(x uint32, lo, hi int32) bool {
	ws := t.writesOf(x)
	i, _ := slices.BinarySearch(ws, lo)
	return i < len(ws) && ws[i] < hi
}

// climb returns the nearest of blk and its ancestors whose range holds write w or
// begins before it (the entry's always does), or that is loop (the header of the innermost loop around
// blk, which stops every search) or above it. The condition holds from some ancestor up
// to the root, so the skew-binary jumps find the first one.
func (t *inheritTree) climb(blk ir.BlockID, w int32, loop ir.BlockID) ir.BlockID {
	stop := int32(-1)
	if loop != ir.NoBlock {
		stop = t.depth[loop]
	}
	ok := func(b ir.BlockID) bool { return t.lo[b] <= w || t.depth[b] <= stop }
	for !ok(blk) {
		if j := t.jump[blk]; !ok(j) {
			blk = j
		} else {
			blk = t.parent[blk]
		}
	}
	return blk
}

// localTypes are the types of a function's locals, parameters first, kept as runs of one
// type, as they are declared: a body of a few bytes may declare 2^24 locals, and lowering
// must cost what the body holds, not what it declares.
type localTypes struct {
	n     uint32
	ends  []uint32 // run i holds the locals below ends[i] not in an earlier run
	types []ir.Type
}

func (lt *localTypes) reset() { lt.n, lt.ends, lt.types = 0, lt.ends[:0], lt.types[:0] }

// add appends count locals of type t.
func (lt *localTypes) add(t ir.Type, count uint32) {
	if count == 0 {
		return
	}
	lt.n += count
	if k := len(lt.types); k > 0 && lt.types[k-1] == t {
		lt.ends[k-1] = lt.n
		return
	}
	lt.ends = append(lt.ends, lt.n)
	lt.types = append(lt.types, t)
}

// at returns the type of local x.
func (lt *localTypes) at(x uint32) ir.Type {
	i, _ := slices.BinarySearch(lt.ends, x+1)
	return lt.types[i]
}
