package regalloc

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// VReg is a virtual register, numbered densely from 0 to [Func.NumVRegs]-1. Each is defined
// exactly once: by one instruction or as one block parameter.
type VReg uint32

// PReg is a physical register, numbered by the backend below [MaxPRegs]. The allocator attaches
// no meaning to the numbers; [Config] says which belong to which class.
type PReg uint8

// MaxPRegs bounds physical register numbers, so that a [RegSet] is two words.
const MaxPRegs = 128

// NoReg is the PReg that names no register.
const NoReg PReg = 255

// Class is a register class. A virtual register of a class only ever lives in that class's
// registers or in a spill slot of that class.
type Class uint8

const (
	ClassInt   Class = iota // general-purpose registers
	ClassFloat              // floating-point and vector registers
	NumClasses
)

func (c Class) String() string {
	switch c {
	case ClassInt:
		return "int"
	case ClassFloat:
		return "float"
	}
	return "class" + strconv.Itoa(int(c))
}

// RegSet is a set of physical registers.
type RegSet [2]uint64

// Add returns s with r added.
func (s RegSet) Add(r PReg) RegSet { s[r>>6] |= 1 << (r & 63); return s }

// Has reports whether r is in s.
func (s RegSet) Has(r PReg) bool { return r < MaxPRegs && s[r>>6]&(1<<(r&63)) != 0 }

// Union returns s ∪ t.
func (s RegSet) Union(t RegSet) RegSet { return RegSet{s[0] | t[0], s[1] | t[1]} }

// Intersect returns s ∩ t.
func (s RegSet) Intersect(t RegSet) RegSet { return RegSet{s[0] & t[0], s[1] & t[1]} }

// Len is the number of registers in s.
func (s RegSet) Len() int { return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) }

// Regs lists the registers of s in increasing order.
func (s RegSet) Regs() []PReg {
	var rs []PReg
	for w, word := range s {
		for ; word != 0; word &= word - 1 {
			rs = append(rs, PReg(64*w+bits.TrailingZeros64(word)))
		}
	}
	return rs
}

// RegSetOf returns the set holding rs.
func RegSetOf(rs ...PReg) RegSet {
	var s RegSet
	for _, r := range rs {
		s = s.Add(r)
	}
	return s
}

// Operand is one register an instruction reads or writes: a virtual register to be allocated,
// or a physical register the instruction names itself (a fixed constraint: call arguments and
// results, rdx:rax for division, the shift count in rcx). Uses are read at the instruction's
// early point and defs written at its late point, so a def may share a register with a use that
// dies at the instruction but never with one that lives on.
//
// Build operands with [Use], [Def], [ReuseDef], [FixedUse] and [FixedDef]; the zero Operand
// is Use(0).
type Operand struct {
	vreg  VReg
	fixed uint8 // 1 + the physical register, or 0 for a virtual operand
	def   bool
	reuse uint8 // for a virtual def: 1 + the index of the use whose register it takes, or 0
}

// Use reads virtual register v, which must then be in a register (or, for the source of a copy,
// in a register or a spill slot).
func Use(v VReg) Operand { return Operand{vreg: v} }

// Def writes virtual register v into a register.
func Def(v VReg) Operand { return Operand{vreg: v, def: true} }

// ReuseDef writes v into the register of the instruction's use operand number use: the
// two-address forms of amd64 (add, shl, ...). That use must be a virtual register which is not
// live after the instruction; a backend guarantees this by copying the input to a fresh virtual
// register just before, a copy that coalescing removes whenever the input dies there anyway.
func ReuseDef(v VReg, use int) Operand {
	return Operand{vreg: v, def: true, reuse: uint8(use + 1)}
}

// FixedUse reads physical register r, which an earlier instruction of the same block wrote (a
// copy into an argument register, say). In the entry block r may instead be live on entry: the
// function's incoming arguments.
func FixedUse(r PReg) Operand { return Operand{fixed: uint8(r) + 1} }

// FixedDef writes physical register r; a later instruction of the same block reads it (usually a
// copy out of a result register), or the value is dead.
func FixedDef(r PReg) Operand { return Operand{fixed: uint8(r) + 1, def: true} }

// IsDef reports whether the operand is written rather than read.
func (o Operand) IsDef() bool { return o.def }

// VReg returns the operand's virtual register, if it has one.
func (o Operand) VReg() (VReg, bool) { return o.vreg, o.fixed == 0 }

// PReg returns the physical register the operand is fixed to, if any.
func (o Operand) PReg() (PReg, bool) { return PReg(o.fixed - 1), o.fixed != 0 }

// Reuse returns the index of the use operand whose register a [ReuseDef] takes.
func (o Operand) Reuse() (int, bool) { return int(o.reuse) - 1, o.reuse != 0 }

// operand is an Operand as the allocator works on it.
type operand struct {
	vreg  VReg
	reg   PReg // NoReg for a virtual operand
	def   bool
	reuse int8 // -1 if none
}

// internal is o as the allocator works on it, without a branch: fixed-1 is NoReg for a
// virtual operand, and reuse-1 is -1 for none (issue 21).
func (o Operand) internal() operand {
	return operand{vreg: o.vreg, reg: PReg(o.fixed - 1), def: o.def, reuse: int8(o.reuse - 1)}
}

func (o Operand) String() string {
	var s string
	if r, ok := o.PReg(); ok {
		s = "p" + strconv.Itoa(int(r))
	} else {
		s = "%" + strconv.Itoa(int(o.vreg))
	}
	if o.def {
		s = "def " + s
		if k, ok := o.Reuse(); ok {
			s += "^" + strconv.Itoa(k)
		}
	}
	return s
}

// Func is what a backend implements so that its machine function can be allocated: blocks in
// layout order, each a dense range of instruction numbers, with SSA block parameters. It is the
// shape of regalloc2's Function trait (which Cranelift's VCode implements): the allocator sees
// numbers only, never the backend's types. Blocks are numbered in layout order, so a backend
// that lays blocks out in IR order keeps the IR's block numbers. Loop information is not asked
// for: the allocator finds loops itself.
//
// What the function must satisfy (Run checks and returns an [*Error] otherwise):
//   - Block 0 is the entry: no predecessors, no parameters. Every block has an instruction.
//   - Instructions are numbered in layout order: block 0 starts at 0, block b+1 where b ends.
//   - No critical edges: a block with several successors has successors with one predecessor.
//     (The backend splits such edges, as wazero and Cranelift do, before allocation.)
//     [RunFast] accepts a critical edge that passes no arguments, since the only moves it
//     puts on an edge are the arguments'.
//   - The last instruction of a block with successors defines nothing; if the block has one
//     successor, which has several predecessors, that instruction (the jump) has no operands and
//     no clobbers, because edge moves go just before it.
//   - SSA: every virtual register is defined once, by an instruction or as a block parameter,
//     and every use is dominated by its definition.
//   - A fixed use reads a register written earlier in its block and not clobbered since (in
//     the entry block, possibly an incoming argument register). No fixed operand names a
//     scratch register. A [ReuseDef]'s input dies at its instruction.
type Func interface {
	// NumBlocks is the number of blocks.
	NumBlocks() int
	// BlockInstrs is the range [start, end) of instruction numbers in block b.
	BlockInstrs(b int) (start, end int)
	// BlockPreds lists the predecessors of b (in any order).
	BlockPreds(b int) []int
	// BlockSuccs lists the successors of b; BranchArgs and edge order refer to this order.
	BlockSuccs(b int) []int
	// BlockParams lists the parameters of b (SSA block arguments, φ-functions).
	BlockParams(b int) []VReg
	// BranchArgs lists the values b passes to the parameters of BlockSuccs(b)[k].
	BranchArgs(b, k int) []VReg
	// NumVRegs bounds the virtual register numbers.
	NumVRegs() int
	// VRegClass is the register class of v.
	VRegClass(v VReg) Class
	// AppendOperands appends the operands of instruction i to ops, in the instruction's own
	// order; [Result.Alloc] answers in the same order.
	AppendOperands(i int, ops []Operand) []Operand
	// Clobbers is the set of registers instruction i destroys (a call's caller-saved
	// registers). Clobbers take effect before the instruction's defs are written.
	Clobbers(i int) RegSet
	// IsCopy reports whether instruction i copies its only use to its only def. Copies get
	// coalescing hints, their source may be read from a spill slot, and a copy whose two
	// locations are equal can be dropped.
	IsCopy(i int) bool
}

// InstrReader is what a [Func] may also implement to describe an instruction in one call:
// the allocator reads every instruction once, and three interface calls each were a
// visible part of -O0's allocation (issue 21).
type InstrReader interface {
	// Instr returns what AppendOperands, Clobbers and IsCopy say of instruction i. The
	// allocator copies ops before the next call and never writes it.
	Instr(i int) (ops []Operand, clobbers RegSet, isCopy bool)
}

// SlotPolicy says how spill slots are shared.
type SlotPolicy uint8

const (
	// SlotsShared gives two virtual registers the same slot when their lifetimes (from
	// definition to last use, in layout order) do not overlap.
	SlotsShared SlotPolicy = iota
	// SlotPerVReg gives every spilled virtual register a slot of its own (for debugging).
	SlotPerVReg
)

// Config describes the target's registers to [Run]. It is a value passed per call, never
// global state, so functions may be allocated in parallel.
type Config struct {
	// Regs lists, per class, the allocatable registers in order of preference. Put
	// caller-saved registers first: ties go to the earlier register.
	Regs [NumClasses][]PReg
	// Scratch is, per class, a register not in Regs that edits may use to break parallel-move
	// cycles and to go from one spill slot to another. Only needed for classes with registers.
	// It must not appear as a fixed operand.
	Scratch [NumClasses]PReg
	// CalleeSaved are the registers a function must restore if it writes them. The allocator
	// prefers other registers when it can; a backend saves Result.UsedRegs ∩ CalleeSaved.
	// Caller-saved registers need no configuration: a call names them in its Clobbers.
	CalleeSaved RegSet
	// Slots chooses how spill slots are shared.
	Slots SlotPolicy
	// RegNames names registers in dumps and errors (rax, x0). Optional.
	RegNames []string
}

// RegName is the name of r in dumps.
func (c *Config) RegName(r PReg) string {
	if int(r) < len(c.RegNames) && c.RegNames[r] != "" {
		return c.RegNames[r]
	}
	return "p" + strconv.Itoa(int(r))
}

// LocName is the name of l in dumps: a register name or s0, s1, ...
func (c *Config) LocName(l Loc) string {
	if l.IsReg() {
		return c.RegName(l.Reg())
	}
	return l.String()
}

// Loc is where a value lives: a physical register or a spill slot. The zero Loc is none.
type Loc int32

// RegLoc is the location of register r.
func RegLoc(r PReg) Loc { return Loc(r) + 1 }

// SlotLoc is the location of spill slot s.
func SlotLoc(s int) Loc { return -Loc(s) - 1 }

// IsReg reports whether l is a register.
func (l Loc) IsReg() bool { return l > 0 }

// IsSlot reports whether l is a spill slot.
func (l Loc) IsSlot() bool { return l < 0 }

// Reg is the register of a register location.
func (l Loc) Reg() PReg { return PReg(l - 1) }

// Slot is the slot number of a slot location.
func (l Loc) Slot() int { return int(-l - 1) }

func (l Loc) String() string {
	switch {
	case l.IsReg():
		return "p" + strconv.Itoa(int(l.Reg()))
	case l.IsSlot():
		return "s" + strconv.Itoa(l.Slot())
	}
	return "none"
}

// Edit is a move the backend inserts: a register-to-register move, a spill store (register to
// slot) or a reload (slot to register); never slot to slot. These are plain moves, loads and
// stores, which leave condition flags alone on amd64 and arm64, so an edit may sit between a
// compare and its branch.
type Edit struct {
	// Before is the instruction the edit goes immediately before. Edits with the same Before
	// are materialised in slice order. Edits before the first instruction of a block run at its
	// start (after control arrives from any predecessor); edits before a block's last
	// instruction run before its jump.
	Before int
	// From and To are the locations read and written.
	From, To Loc
	// VReg is the value moved; its class and the backend's type for it choose the instruction.
	VReg VReg
}

// EditKind classifies an [Edit] by its locations.
type EditKind uint8

const (
	Move   EditKind = iota // register to register
	Spill                  // register to slot
	Reload                 // slot to register
)

// Kind says whether e is a move, a spill or a reload.
func (e Edit) Kind() EditKind {
	switch {
	case e.To.IsSlot():
		return Spill
	case e.From.IsSlot():
		return Reload
	}
	return Move
}

func (k EditKind) String() string { return [...]string{"move", "spill", "reload"}[k] }

// Result is an allocation: a location for every operand of every instruction, and the edits that
// make the values be there.
type Result struct {
	// Edits are sorted by Before; see [Edit].
	Edits []Edit
	// Slots is the class of each spill slot; a backend sizes and aligns slots by class (and by
	// the types it knows for the VRegs it spills there).
	Slots []Class
	// UsedRegs are the registers assigned to virtual registers, scratch registers included.
	UsedRegs RegSet

	allocs  []Loc   // per operand, in instruction order
	opStart []int32 // instruction i's operands are allocs[opStart[i]:opStart[i+1]]
}

// Alloc is the location of operand k of instruction i: a register, or a spill slot for the
// source of a copy. A fixed operand's location is its own register, and a [ReuseDef]'s is that
// of the use it reuses.
func (r *Result) Alloc(i, k int) Loc { return r.allocs[int(r.opStart[i])+k] }

// NumOperands is the number of operands of instruction i.
func (r *Result) NumOperands(i int) int { return int(r.opStart[i+1] - r.opStart[i]) }

// Locs are the locations of instruction i's operands, [Result.Alloc] of each in order, in
// r's own array: a backend reads them where they are rather than copying each one out
// (issue 21). The caller must not change them; the slice's capacity ends with it, so an
// append copies.
func (r *Result) Locs(i int) []Loc {
	lo, hi := r.opStart[i], r.opStart[i+1]
	return r.allocs[lo:hi:hi]
}

// Error is a problem with the input to [Run] (a broken invariant of [Func] or [Config]), a
// function that needs more registers at one instruction than exist, or a problem [Check] found.
type Error struct {
	Block int // -1 if not about a block
	Instr int // -1 if not about an instruction
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("regalloc: ")
	if e.Block >= 0 {
		fmt.Fprintf(&b, "b%d: ", e.Block)
	}
	if e.Instr >= 0 {
		fmt.Fprintf(&b, "instr %d: ", e.Instr)
	}
	b.WriteString(e.Msg)
	return b.String()
}
