package ir

import "strconv"

// InstrID names an instruction of one function: an index into [Func.Instrs]. It stays
// valid while the instruction moves between blocks; it is not printed.
type InstrID uint32

// NoInstr is the InstrID that names nothing.
const NoInstr = ^InstrID(0)

// String returns "i7", for debugging; the text form does not show instruction numbers.
func (i InstrID) String() string { return "i" + strconv.FormatUint(uint64(i), 10) }

// Instr is one instruction. Which immediate fields an op uses is fixed by the op; the
// constants' comments in ops.go and the grammar in doc.go say which.
type Instr struct {
	Op Op // what the instruction does; opTable says how to read the fields below
	// Cond is the condition of icmp and fcmp.
	Cond Cond
	// Trap is the trap code of trap and trapif.
	Trap TrapCode
	// Width is the number of bytes a load or store accesses: 1, 2, 4, 8 or 16, at most
	// the size of the loaded or stored type.
	Width uint8
	// Signed says whether a load narrower than its type sign-extends (else it zero-extends),
	// and which of a vector op's signed and unsigned forms it is (.s or .u).
	Signed bool
	// Shape is a vector op's lane shape (ops.go says whose).
	Shape Shape
	// Imm holds iconst's bits (zero-extended from the type's width), the IEEE bits of
	// f32const and f64const, the low 64 bits of v128const and of vshuffle's lane
	// indices, the constant offset of load, store and the vector memory ops, and the byte
	// count of boundscheck.
	Imm uint64
	// Imm2 holds v128const's and vshuffle's high 64 bits, and the lane index of
	// vextract, vreplace, vloadlane and vstorelane.
	Imm2 uint64
	// Index is the op's first index: the memory of memory ops, the table of table ops and
	// callindirect, the global of globalget/globalset, the function of call, callimport
	// and reffunc, the data segment of datadrop and the element segment of elemdrop.
	Index uint32
	// Index2 is the op's second index: the source memory of memcopy, the source table of
	// tablecopy, the data segment of meminit, the element segment of tableinit, and the
	// expected type (into [Module.Types]) of callindirect.
	Index2 uint32
	// Args are the operands; callindirect's first is the table element index.
	Args []Value
	// Results are the values the instruction defines; calls define one per callee
	// result, every other op at most one.
	Results []Value
	// Targets are a terminator's successors with their arguments: one for jump, two for
	// brif (taken, not taken), and for brtable the listed targets then the default.
	Targets []BlockCall
	// Block is the block holding the instruction, or NoBlock when it is in none.
	Block BlockID
}

// Result returns the instruction's only result, or NoValue if it has not exactly one.
func (in *Instr) Result() Value {
	if len(in.Results) != 1 {
		return NoValue
	}
	return in.Results[0]
}

// MemDescSize is the size of a memory's descriptor in host memory, four 8-byte words
// {base, size, max, reserve}: the runtime and the backend lay out the descriptors of a
// program's memories as an array with this stride (rtlib/doc.go, backend/guard.go).
const MemDescSize = 32

// TableDescSize is the size of a table's descriptor, four 8-byte words {base, size, max,
// budget}: budget is the host address of the word that counts the elements the
// program's tables may still grow by, all of them together (--max-table-elements), so
// that many tables cannot each grow to what one may hold.
const TableDescSize = 32
