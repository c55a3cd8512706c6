package ir

// RLE removes redundant loads: a load of what a dominating load read, or a dominating
// store wrote, at the same address value, offset, width and type, with nothing in between
// that may have changed it; and likewise a globalget of a global whose value a dominating
// globalget or globalset gave. Loads are not numbered by GVN, since a store or a call
// between two of them may change what the second reads; RLE tracks those.
//
// It walks the dominator tree in preorder with a scoped table, as GVN does. A block with
// one predecessor, which is then its immediate dominator, starts with what held at that
// predecessor's end; any other block (a join, a loop header) starts with nothing known.
// Within a block:
//   - a store to a memory forgets everything known about that memory (another address
//     value may name the same bytes), then knows the value it stored, when it stored all
//     of the value's bytes;
//   - a call, a system call, a host store, a bulk memory op, and any other op with side
//     effects forgets everything: memories and globals;
//   - a globalset knows the value it set.
//
// Replacing a load by an earlier value removes no check: the load's boundscheck is a
// separate instruction, which stays (BCE removes it if a dominating one covers it).
//
// Preserves: the CFG. Needs: address values merged by GVN for the best result.
func RLE(f *Func) {
	c := reachableCFG(f)
	defer f.leaveHandoff(c.RPO, true) // it changes no block or branch
	r := &rle{f: f, preds: c.Preds, memKill: make([]uint32, len(f.moduleMemories()))}
	n := 16
	for n < len(f.Instrs) {
		n *= 2
	}
	r.buckets = takeZeroed[int32](&int32sPool, n)
	domPreorder(f, f.domCurrent(), r.enter, r.leave)
	r.s.release()
	giveScratch(&int32sPool, r.buckets)
}

// moduleMemories returns the memories of f's module, or none when f has no module (a
// function built alone in a test).
func (f *Func) moduleMemories() []Memory {
	if f.Module == nil {
		return nil
	}
	return f.Module.Memories
}

// rleKey names what a load or globalget reads.
type rleKey struct {
	global bool
	index  uint32 // the memory, or the global
	addr   Value
	off    uint64
	width  uint8
	typ    Type
	signed bool
}

// rleEntry is a value known to be at a key, and when it became known: it holds unless
// a kill or a block boundary came after.
type rleEntry struct {
	val   Value
	epoch uint32
}

type rle struct {
	f     *Func
	preds [][]BlockID // the CFG's, which RLE does not change
	s     subst
	// The table is chained through slots, as GVN's: a put pushes a slot that hides any
	// older one of its key, and leaving a block pops the block's slots, which brings
	// back what they hid. Dense slices, no map: hashing the key for a map was a third
	// of the pass (issue 21).
	buckets []int32   // by hash: 1 + the index of the newest slot, or 0 (as GVN's)
	slots   []rleSlot // oldest first
	marks   []rleMark
	epoch   uint32 // the last epoch given out

	// Entries with an epoch at or below these are dead.
	floor     uint32   // the entry of a block that started knowing nothing
	memKill   []uint32 // by memory: its last store or unknown effect
	globKill  uint32   // the last unknown effect
	killStack []uint32 // memKill as it was on entering each block of the path
}

// rleSlot is one entry of the table.
type rleSlot struct {
	key  rleKey
	e    rleEntry
	hash uint32
	next int32 // 1 + the index of the next slot of the bucket, or 0
}

// hash mixes the fields of k.
func (k *rleKey) hash() uint32 {
	h := uint64(k.index)<<32 ^ uint64(k.addr)
	h = (h ^ k.off*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd
	h ^= uint64(k.width) | uint64(k.typ)<<8
	if k.global {
		h ^= 1 << 16
	}
	if k.signed {
		h ^= 1 << 17
	}
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 29
	return uint32(h) ^ uint32(h>>32)
}

// rleMark is what entering a block changed, to put back on leaving it.
type rleMark struct {
	slots    int
	floor    uint32
	kills    int // where the block's saved memKill starts in killStack
	globKill uint32
}

func (r *rle) enter(b BlockID) {
	f := r.f
	r.marks = append(r.marks, rleMark{slots: len(r.slots), floor: r.floor, kills: len(r.killStack), globKill: r.globKill})
	r.killStack = append(r.killStack, r.memKill...)
	if len(r.preds[b]) != 1 {
		r.floor = r.next()
	}
	// The surviving instructions move down over the deleted ones in place, as in GVN.
	ins := f.Blocks[b].Instrs
	w := 0
	for i, id := range ins {
		in := &f.Instrs[id]
		if s := r.s; len(s) > 0 { // r.s.operands, without a call per instruction, as in GVN
			for i, a := range in.Args {
				if uint(a) < uint(len(s)) && s[a] != 0 {
					in.Args[i] = s.resolve(f, a)
				}
			}
			if len(in.Targets) > 0 {
				s.walkOperands(f, in)
			}
		}
		switch in.Op {
		case OpLoad:
			if r.reuse(id, r.memKey(in, f.TypeOf(in.Results[0]))) {
				continue
			}
		case OpStore:
			if int(in.Index) >= len(r.memKill) {
				r.killAll()
				break
			}
			r.memKill[in.Index] = r.next()
			if v := in.Args[1]; int(in.Width) == f.TypeOf(v).Size() {
				r.put(r.memKey(in, f.TypeOf(v)), v)
			}
		case OpGlobalGet:
			if r.reuse(id, rleKey{global: true, index: in.Index, typ: f.TypeOf(in.Results[0])}) {
				continue
			}
		case OpGlobalSet:
			r.put(rleKey{global: true, index: in.Index, typ: f.TypeOf(in.Args[0])}, in.Args[0])
		default:
			if in.Op.Flags().Has(SideEffect) {
				r.killAll()
			}
		}
		if w != i {
			ins[w] = id
		}
		w++
	}
	if w != len(ins) {
		f.Blocks[b].Instrs = ins[:w]
	}
}

// reuse replaces read instruction id by the value known at k and deletes it, reporting
// true; or records its result as known at k.
func (r *rle) reuse(id InstrID, k rleKey) bool {
	res := r.f.Instrs[id].Results[0]
	if v, ok := r.lookup(k); ok {
		r.s.set(r.f, res, v)
		deleteInstr(r.f, id)
		return true
	}
	r.put(k, res)
	return false
}

func (r *rle) leave(BlockID) {
	m := r.marks[len(r.marks)-1]
	r.marks = r.marks[:len(r.marks)-1]
	for i := len(r.slots) - 1; i >= m.slots; i-- {
		sl := &r.slots[i]
		r.buckets[sl.hash&uint32(len(r.buckets)-1)] = sl.next
	}
	r.slots = r.slots[:m.slots]
	r.floor, r.globKill = m.floor, m.globKill
	copy(r.memKill, r.killStack[m.kills:])
	r.killStack = r.killStack[:m.kills]
}

func (r *rle) next() uint32 {
	r.epoch++
	return r.epoch
}

// memKey is the key of a load, or of a store read back as type t. Signedness matters
// only for a load narrower than its type.
func (r *rle) memKey(in *Instr, t Type) rleKey {
	signed := in.Signed && int(in.Width) < t.Size()
	return rleKey{index: in.Index, addr: in.Args[0], off: in.Imm, width: in.Width, typ: t, signed: signed}
}

func (r *rle) killAll() {
	e := r.next()
	for i := range r.memKill {
		r.memKill[i] = e
	}
	r.globKill = e
}

// lookup returns the value known at k, if one is.
func (r *rle) lookup(k rleKey) (Value, bool) {
	e, ok := r.find(k)
	if !ok || e.epoch <= r.floor {
		return NoValue, false
	}
	if k.global {
		return e.val, e.epoch > r.globKill
	}
	if int(k.index) >= len(r.memKill) {
		return NoValue, false
	}
	return e.val, e.epoch > r.memKill[k.index]
}

// put records v as the value at k from now on.
func (r *rle) put(k rleKey, v Value) {
	h := k.hash()
	bucket := &r.buckets[h&uint32(len(r.buckets)-1)]
	r.slots = append(r.slots, rleSlot{key: k, e: rleEntry{val: v, epoch: r.next()}, hash: h, next: *bucket})
	*bucket = int32(len(r.slots))
}

// find returns the newest entry of key k in the table.
func (r *rle) find(k rleKey) (rleEntry, bool) {
	h := k.hash()
	for i := r.buckets[h&uint32(len(r.buckets)-1)]; i > 0; i = r.slots[i-1].next {
		if sl := &r.slots[i-1]; sl.hash == h && sl.key == k {
			return sl.e, true
		}
	}
	return rleEntry{}, false
}
