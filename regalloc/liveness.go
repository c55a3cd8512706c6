package regalloc

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
)

// Liveness is computed one virtual register at a time, never as a set per block: a set of
// every register per block costs blocks × registers in memory and, iterated to a fixed
// point, in time, which is gigabytes for a module with 20,000 values live across 20,000 ifs
// or with 90,000 nested loops. Instead, for each register, a backward walk from its uses to
// its definition finds the blocks it is live into: "path exploration", from Appel's "Modern
// Compiler Implementation" (the Tiger book), as Brandner, Boissinot, Darte, Dupont de
// Dinechin and Rastello compute liveness sets with it one variable at a time ("Computing
// Liveness Sets for SSA-Form Programs", INRIA research report, 2011, hal inria-00558509).
// A register is live into block b if some path from b's start reaches a use without
// passing its definition; walking predecessors back from the uses and stopping at the
// defining block visits exactly those blocks, on any CFG, irreducible or not, with no fixed
// point. The cost is the sum over registers of the blocks each is live into, and the
// memory that of the largest such set.
//
// Registers with the same defining block and uses in the same blocks have the same live-in
// blocks, so large results are kept by that key and reused: values computed before a long
// stretch of code and all used after it (locals set at the top of a function and read at
// its end) then cost one walk, not one each. A walk also stops where a kept set would
// continue it (see [allocator.liveIn]), so that nested live ranges cost their differences.

// blockRun is the blocks [from, to) in layout order.
type blockRun struct{ from, to int32 }

// liveWalker holds the scratch space of the walks, sized by blocks and reused for every
// register, and the live-in sets kept for reuse.
type liveWalker struct {
	stamp  []int32 // per block, 1 + the register whose walk last reached it
	work   []int32 // blocks still to walk from
	found  []int32 // blocks found live-in, in the order found
	bits   bitset  // per block, to list found blocks in order without sorting
	runs   []blockRun
	seeds  []int32 // the seeds in order, for the key of kept sets
	key    []byte
	reused []int32 // kept sets the walk reached

	// Kept sets: sets[known[key]] is the live-in set of a register defined in block def
	// whose uses start walks from the seed blocks in key; knownAt[b] is 1 + the index of
	// the last set kept whose only seed is b, or 0.
	known   map[uint64]int32
	sets    []keptSet
	knownAt []int32
	bySeeds map[uint64]int32 // by the seeds alone, the last set kept for them

	// keepMin overrides defaultKeepMin if positive: tests keep every set, so that reuse is
	// exercised on small functions too.
	keepMin int

	// steps counts the blocks, edges and kept runs the walks visit, so that a test can
	// bound the work.
	steps int

	// across marks, by vreg, the registers live into some block (buildIntervals sets
	// it): only their intervals can cover a block's start, which regsLiveIn lists.
	across bitset

	ready    bool             // the tables are this function's
	keptRuns chunks[blockRun] // the kept sets' runs
	keptKeys chunks[byte]     // the kept sets' keys
	seed     maphash.Seed
}

// tables returns w's arrays and maps, emptied, for the next function's walks.
func (w *liveWalker) tables() liveWalker {
	w.keptRuns.reset()
	w.keptKeys.reset()
	return liveWalker{
		stamp: w.stamp, work: w.work, found: w.found, bits: w.bits, runs: w.runs, seeds: w.seeds,
		key: w.key, reused: w.reused, known: w.known, sets: w.sets[:0], knownAt: w.knownAt,
		bySeeds: w.bySeeds, keptRuns: w.keptRuns, keptKeys: w.keptKeys, seed: w.seed, across: w.across,
	}
}

// keptSet is the live-in set of the registers defined in block def whose walks start from
// given seeds.
type keptSet struct {
	def  int32
	runs []blockRun
	// The maps are keyed by hashes of keys (a string per set allocated as much as
	// the sets): key is the set's, and sameKey and sameSeeds the previous set kept
	// whose key, or seeds alone, hash as this one's, or -1.
	key                []byte
	sameKey, sameSeeds int32
}

// makeKey sorts w.seeds and sets w.key to the key of a register defined in block def
// with those seeds.
func (w *liveWalker) makeKey(def int32) {
	slices.Sort(w.seeds)
	// Built in a local and stored once: each store of an append's result into w wrote
	// the array's pointer through the collector's write barrier (issue 21).
	key := binary.LittleEndian.AppendUint32(w.key[:0], uint32(def))
	for _, b := range w.seeds {
		key = binary.LittleEndian.AppendUint32(key, uint32(b))
	}
	w.key = key
}

// knownSet is the kept set of key, or -1.
func (w *liveWalker) knownSet(key []byte) int32 {
	k, ok := w.known[maphash.Bytes(w.seed, key)]
	if !ok {
		return -1
	}
	for k >= 0 && string(w.sets[k].key) != string(key) {
		k = w.sets[k].sameKey
	}
	return k
}

// seedsSet is the last set kept whose key's seeds are those of key, or -1.
func (w *liveWalker) seedsSet(key []byte) int32 {
	k, ok := w.bySeeds[maphash.Bytes(w.seed, key[4:])]
	if !ok {
		return -1
	}
	for k >= 0 && string(w.sets[k].key[4:]) != string(key[4:]) {
		k = w.sets[k].sameSeeds
	}
	return k
}

// defaultKeepMin is the size of live-in sets worth keeping for reuse; smaller ones are
// recomputed, which costs less than keeping every one.
const defaultKeepMin = 64

// liveIn returns the blocks v is live into, in order, as runs of consecutive blocks; the
// result is valid until the next call unless it was kept, and must not be modified. A
// block parameter is defined at its block's start, so it is not live into that block; a
// branch argument is used at the end of its block.
//
// A walk reuses kept sets in three ways: a register whose definition block and seeds are
// those of a kept set has that set; a walk that reaches block b, the only seed of a kept
// set for the same definition block, takes that whole set instead of walking on from b,
// since everything a walk finds from b is in it; and a register with the seeds of a set
// kept for a definition its own strictly dominates takes that set and walks only from
// there (see nests). So 22,000 results of a call, each tested by one of 22,000 ifs in
// turn, cost a few blocks each, each walk stopping at the previous if; and so do 20,000
// values computed one before each of 20,000 ifs and all used after them.
//
// uses are v's uses, a.idx.uses(v), which the caller has looked up.
func (a *allocator) liveIn(v VReg, uses []int32) []blockRun {
	w := &a.walk
	if !w.ready {
		w.ready = true
		w.stamp = resize(w.stamp, a.nblocks)
		w.knownAt = resize(w.knownAt, a.nblocks)
		w.bits = resize(w.bits, (a.nblocks+63)/64)
		if w.known == nil {
			w.known, w.bySeeds = map[uint64]int32{}, map[uint64]int32{}
			w.seed = maphash.MakeSeed()
		}
		clear(w.known)
		clear(w.bySeeds)
		w.sets = w.sets[:0]
	}
	def, defInstr := a.defBlock[v], a.defInstr[v]
	mark := int32(v) + 1
	w.work, w.found, w.reused = w.work[:0], w.found[:0], w.reused[:0]
	seed := func(b int32) {
		if w.stamp[b] != mark {
			w.stamp[b] = mark
			w.work = append(w.work, b)
			w.found = append(w.found, b)
		}
	}
	// Seeds: blocks where v is read before anything in the block defines it.
	for _, i := range uses {
		b := a.instrBlock[i]
		if b == def && (defInstr < 0 || defInstr < i) {
			continue
		}
		seed(b)
	}
	for _, b := range a.idx.args(v) {
		if b != def {
			seed(b)
		}
	}
	if len(w.found) == 0 {
		return nil
	}
	// The key is made only when there are kept sets to look it up in, or this one is
	// kept: a function with fewer blocks than defaultKeepMin keeps none (issue 21).
	w.seeds = append(w.seeds[:0], w.found...)
	keyed := len(w.sets) > 0
	if keyed {
		w.makeKey(def)
		if k := w.knownSet(w.key); k >= 0 {
			return w.sets[k].runs
		}
		if k := w.seedsSet(w.key); k >= 0 && a.nests(def, w.sets[k].def, w.seeds) {
			// The kept set of a register defined in d, a block def strictly dominates,
			// with the same seeds: v is live into those blocks, and into those that
			// reach d without passing def; so walk from d instead of the seeds.
			d := w.sets[k].def
			for _, b := range w.found {
				w.stamp[b] = 0
			}
			w.work, w.found = w.work[:0], w.found[:0]
			w.reused = append(w.reused, k)
			seed(d)
		}
	}
	for len(w.work) > 0 {
		b := w.work[len(w.work)-1]
		w.work = w.work[:len(w.work)-1]
		w.steps++
		if k := w.knownAt[b] - 1; k >= 0 && w.sets[k].def == def {
			w.reused = append(w.reused, k)
			continue
		}
		for _, p := range a.preds.at(int(b)) {
			w.steps++
			if p32 := int32(p); p32 != def && w.stamp[p] != mark {
				w.stamp[p] = mark
				w.work = append(w.work, p32)
				w.found = append(w.found, p32)
			}
		}
	}
	runs := w.runsOf(w.runs[:0])
	if len(w.reused) > 0 {
		for _, k := range w.reused {
			w.steps += len(w.sets[k].runs)
			runs = append(runs, w.sets[k].runs...)
		}
		runs = mergeRuns(runs)
	}
	runs = a.bridge(runs)
	w.runs = runs
	size := 0
	for _, r := range runs {
		size += int(r.to - r.from)
	}
	if keep := cmp.Or(w.keepMin, defaultKeepMin); size < keep {
		return runs
	}
	if !keyed {
		w.makeKey(def)
	}
	k := int32(len(w.sets))
	kept := w.keptRuns.take(len(runs))
	copy(kept, runs)
	key := w.keptKeys.take(len(w.key))
	copy(key, w.key)
	hk, hs := maphash.Bytes(w.seed, key), maphash.Bytes(w.seed, key[4:])
	sameKey, sameSeeds := int32(-1), int32(-1)
	if j, ok := w.known[hk]; ok {
		sameKey = j
	}
	if j, ok := w.bySeeds[hs]; ok {
		sameSeeds = j
	}
	w.sets = append(w.sets, keptSet{def: def, runs: kept, key: key, sameKey: sameKey, sameSeeds: sameSeeds})
	w.known[hk] = k
	w.bySeeds[hs] = k
	if len(w.seeds) == 1 {
		w.knownAt[w.seeds[0]] = k + 1
	}
	return w.sets[k].runs
}

// walkOrder lists the virtual registers by the last block that uses them, earliest first,
// so that walks reach kept sets rather than compute them: a walk goes backwards from its
// uses, so it mostly meets blocks that come earlier, whose registers went first. (Taken by
// number, the results of a call tested by ifs in turn would go longest first, each walk
// all the way back.)
//
// A function with fewer blocks than a kept set needs keeps none, so the order changes
// nothing there and is that of the numbers (issue 21: most functions are that small).
//
// Registers that are neither defined nor read nor passed are left out: they have no
// interval, and on gobig they are 60% of the numbers (issue 21).
func (a *allocator) walkOrder() []VReg {
	t := &a.tables
	x := &a.idx
	useStart, argStart, defBlock := x.useStart[:a.nvregs+1], x.argStart[:a.nvregs+1], a.defBlock[:a.nvregs]
	if a.nblocks < cmp.Or(a.walk.keepMin, defaultKeepMin) {
		order := slices.Grow(t.order[:0], a.nvregs)
		for v, d := range defBlock {
			if d >= 0 || useStart[v] != useStart[v+1] || argStart[v] != argStart[v+1] {
				order = append(order, VReg(v))
			}
		}
		t.order = order
		return order
	}
	t.last, t.count = resize(t.last, a.nvregs), resize(t.count, a.nblocks+2)
	last := t.last // 1 + the last block using v, or 0
	count := t.count
	useInstr, argBlock, instrBlock := x.useInstr, x.argBlock, a.instrBlock
	for v := range last {
		l := int32(0)
		if u := useStart[v+1]; u != useStart[v] {
			l = instrBlock[useInstr[u-1]] + 1
		}
		if g := argStart[v+1]; g != argStart[v] {
			l = max(l, argBlock[g-1]+1)
		}
		last[v] = l
		count[l+1]++
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	t.order = resize(t.order, a.nvregs)
	order := t.order
	for v, l := range last {
		order[count[l]] = VReg(v)
		count[l]++
	}
	// Among registers last used in the same block, those defined later in a preorder of
	// the dominator tree go first, since a block's dominators come before it: a register
	// defined in a dominator then extends their set (see nests) rather than walking all
	// of it again.
	preorder := func(v VReg) int32 {
		if d := a.defBlock[v]; d >= 0 && a.dom.idom[d] >= 0 {
			return a.dom.pre[d]
		}
		return -1
	}
	// Registers without uses need no order; those not defined either are dropped, the
	// others moved to the end of their bucket, in order, so that the result is a slice.
	first := count[0]
	for i := count[0] - 1; i >= 0; i-- {
		if v := order[i]; defBlock[v] >= 0 {
			first--
			order[first] = v
		}
	}
	from := count[0]
	for l := 1; l < len(count)-1; l++ {
		if bucket := order[from:count[l]]; len(bucket) > 1 {
			// By decreasing preorder, then by vreg (the bucket's order): a sort of keys.
			keys := t.keys[:0]
			for _, v := range bucket {
				keys = append(keys, uint64(math.MaxInt32-int64(preorder(v)))<<32|uint64(v))
			}
			slices.Sort(keys)
			for i, k := range keys {
				bucket[i] = VReg(uint32(k))
			}
			t.keys = keys
		}
		from = count[l]
	}
	return order[first:]
}

// nests reports whether the live-in set of a register defined in block def is that of one
// defined in block d with the same seeds, plus the blocks that reach d without passing def:
// when def strictly dominates d and d strictly dominates every seed. A path to a seed that
// avoids d then avoids def too (a path from def to a seed avoiding d, after one from the
// entry to def avoiding d, would be a path from the entry avoiding d, which dominates the
// seed); a path avoiding def that passes d reaches d first; and d reaches every seed
// without passing def (after d's last occurrence on a path from the entry to the seed,
// def does not occur, for the same reason).
func (a *allocator) nests(def, d int32, seeds []int32) bool {
	if def < 0 || d < 0 || def == d || !a.dom.dominates(int(def), int(d)) {
		return false
	}
	for _, s := range seeds {
		if s == d || !a.dom.dominates(int(d), int(s)) {
			return false
		}
	}
	return true
}

// mergeRuns sorts runs and merges those that overlap or touch.
func mergeRuns(runs []blockRun) []blockRun {
	slices.SortFunc(runs, func(x, y blockRun) int { return int(x.from) - int(y.from) })
	out := runs[:0]
	for _, r := range runs {
		if n := len(out); n > 0 && r.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, r.to)
			continue
		}
		out = append(out, r)
	}
	return out
}

// runsOf appends the found blocks to runs as runs of consecutive blocks, in order: through
// the bitset when the found blocks are dense in their range (linear in the range / 64),
// else by sorting them.
func (w *liveWalker) runsOf(runs []blockRun) []blockRun {
	lo, hi := slices.Min(w.found), slices.Max(w.found)
	if int(hi-lo)/64 > 4*len(w.found) {
		slices.Sort(w.found)
		for _, b := range w.found {
			if n := len(runs); n > 0 && runs[n-1].to == b {
				runs[n-1].to++
			} else {
				runs = append(runs, blockRun{b, b + 1})
			}
		}
		return runs
	}
	for _, b := range w.found {
		w.bits.add(int(b))
	}
	for wi := lo / 64; wi <= hi/64; wi++ {
		word := w.bits[wi]
		w.bits[wi] = 0
		for word != 0 {
			// The run of ones from the lowest set bit: b is its first block, n its length.
			tz := bits.TrailingZeros64(word)
			n := bits.TrailingZeros64(^(word >> tz))
			b := int32(64*int(wi) + tz)
			if k := len(runs); k > 0 && runs[k-1].to == b {
				runs[k-1].to += int32(n)
			} else {
				runs = append(runs, blockRun{b, b + int32(n)})
			}
			if tz+n == 64 {
				break
			}
			word &^= (uint64(1)<<n - 1) << tz
		}
	}
	return runs
}

// bridge joins runs separated only by blocks that do nothing but jump (split edges, laid
// out after their source) when v is live out of that source through another edge: v is
// then taken to be live through them too, which costs it a register for the length of a
// jump, where a gap would cost its interval a span per gap. 20,000 values live across
// 20,000 br_ifs out of a block had 20,000 gaps each.
func (a *allocator) bridge(runs []blockRun) []blockRun {
	if len(runs) < 2 {
		return runs
	}
	if a.jumpsBefore == nil {
		a.tables.jumpsBefore = resize(a.tables.jumpsBefore, a.nblocks+1)
		a.jumpsBefore = a.tables.jumpsBefore
		for b := range a.nblocks {
			a.jumpsBefore[b+1] = a.jumpsBefore[b]
			if a.onlyJumps(b) {
				a.jumpsBefore[b+1]++
			}
		}
	}
	out := runs[:1]
	for i, r := range runs[1:] {
		last := &out[len(out)-1]
		if a.bridges(last.to, r.from, runs[i+1:]) {
			last.to = r.to
			continue
		}
		out = append(out, r)
	}
	return out
}

// bridges reports whether the blocks [from, to) are split edges of block from-1 that only
// jump, and from-1 has another successor in later (the runs from to on, untouched).
func (a *allocator) bridges(from, to int32, later []blockRun) bool {
	if to <= from || a.jumpsBefore[to]-a.jumpsBefore[from] != to-from {
		return false
	}
	src := int(from - 1)
	for b := from; b < to; b++ {
		if ps := a.preds.at(int(b)); len(ps) != 1 || ps[0] != src {
			return false
		}
	}
	for _, s := range a.succs.at(src) {
		if int32(s) >= to && inRuns(later, int32(s)) {
			return true
		}
	}
	return false
}

// onlyJumps reports whether block b is one jump without operands, clobbers or arguments
// to a block without parameters.
func (a *allocator) onlyJumps(b int) bool {
	i := a.blockStart[b]
	if a.blockStart[b+1] != i+1 || len(a.params.at(b)) > 0 || len(a.succs.at(b)) != 1 || len(a.argsOf(b, 0)) > 0 {
		return false
	}
	return a.opStart[i+1] == a.opStart[i] && a.clobbersAt(int(i)) == RegSet{}
}

// inRuns reports whether block b is in runs. The search is written out: the comparison
// slices.BinarySearchFunc called per step was most of it (issue 21).
func inRuns(runs []blockRun, b int32) bool {
	lo, hi := 0, len(runs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if runs[m].to <= b {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(runs) && runs[lo].from <= b
}
