package backend

import (
	"io"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// ISA is one instruction set (amd64, arm64). The CLI hands one to the driver; backend never
// names an ISA package. An ISA is stateless and safe for concurrent use: functions compile
// in parallel.
type ISA interface {
	// Arch is the architecture the ISA emits.
	Arch() Arch
	// RegConfig describes the allocatable registers to regalloc.
	RegConfig() *regalloc.Config
	// Select lowers one defined IR function into a machine function over virtual
	// registers (instruction selection). env says where the program's state lives.
	Select(f *ir.Func, env *Env) (MachineFunc, error)
	// Runtime assembles the per-target code of linked program m that cannot be C (DESIGN.md
	// decision 6): the process entry, which does what e says, and the trap routine.
	Runtime(m *ir.Module, e EntryConfig) (*Runtime, error)
}

// VectorSelector is implemented by an ISA whose instruction selection handles v128 values
// (registers, spill slots, calls, globals) and some vector ops. SelectsVector reports
// whether it selects IR vector op op (or v128const, or a load or store of v128) of lane
// shape sh and signedness signed; the driver refuses a function using any other with a
// one-line error before selection, and refuses every v128 for an ISA that is no
// VectorSelector.
type VectorSelector interface {
	SelectsVector(op ir.Op, sh ir.Shape, signed bool) bool
}

// MachineFunc is an ISA's code for one function between instruction selection and
// encoding. Blocks keep the IR's block numbers so that dumps of successive stages line up.
type MachineFunc interface {
	// Func is what the register allocator reads.
	regalloc.Func
	// Finish applies an allocation: it rewrites operands to physical registers, inserts
	// the allocator's edits, lays out the frame (spill slots, callee-saved registers) and
	// adds the prologue (with the stack-limit check) and the epilogues.
	Finish(r *regalloc.Result) error
	// Encode emits the machine code of a finished function. Relocations name symbols of
	// the program; the linker resolves them once every function has an address.
	Encode() (*Code, error)
	// Format prints the function in the ISA's assembler syntax: virtual registers as %12
	// before Finish, physical registers after.
	Format(w io.Writer)
}

// Code is one function's machine code.
type Code struct {
	Bytes  []byte
	Relocs []Reloc
	// TrapSites maps code offsets of trapping instructions to wasm offsets, for trap
	// messages (DESIGN.md decision 8).
	TrapSites []TrapSite
}

// TrapSite locates a trap in a function's code.
type TrapSite struct {
	// CodeOffset is the return address, as an offset into the function's code, that RtTrap
	// receives from the call that raises this trap: the runtime looks it up to name the trap
	// site. Traps are raised by out-of-line stubs, one per site, so each site has its own.
	CodeOffset uint32
	Code       ir.TrapCode
}

// RelocKind says how a relocation patches code.
type RelocKind uint8

// Relocation kinds. Each ISA uses its own; the linker applies them all.
const (
	// RelocPC32 is a 32-bit PC-relative displacement (amd64 call rel32, jmp rel32 and
	// RIP-relative operands): S + A - P, where P is the address of the field.
	RelocPC32 RelocKind = iota + 1
	// RelocAbs64 is a 64-bit absolute address: S + A.
	RelocAbs64
	// RelocARM64Call26 is a BL/B imm26 (arm64): (S + A - P) >> 2.
	RelocARM64Call26
	// RelocARM64AdrpPage21 and RelocARM64AddLo12 form an ADRP/ADD pair addressing S + A.
	RelocARM64AdrpPage21
	RelocARM64AddLo12
	// RelocARM64Ldst64Lo12 is the low 12 bits of S + A scaled by 8, for an LDR/STR of a
	// doubleword after ADRP.
	RelocARM64Ldst64Lo12
)

// Reloc is a place in a function's code that refers to a symbol.
type Reloc struct {
	Offset uint32 // of the patched field, from the start of the function's code
	Kind   RelocKind
	Sym    SymRef
	Addend int64
}

// RefKind says what a relocation's target names.
type RefKind uint8

// Target kinds.
const (
	// RefFunc is the code of function Index of the linked ir.Module.
	RefFunc RefKind = iota + 1
	// RefFuncRef is the funcref descriptor of function Index: what ref.func yields and a
	// table element holds (see Env).
	RefFuncRef
	// RefGlobal is the storage of global Index: 8 bytes (16 for v128), little-endian.
	RefGlobal
	// RefMemory is the descriptor of memory Index: {base, size in bytes, max in bytes,
	// reserve in bytes}, four 8-byte words (MemoryDescSize).
	RefMemory
	// RefTable is the descriptor of table Index: {base, size in elements, max}, three
	// 8-byte words; the elements are 8-byte references.
	RefTable
	// RefData and RefElem are the passive segments Index: {base, length}, two words;
	// dropping one sets its length to zero.
	RefData
	RefElem
	// RefStackLimit is the lowest address the stack may grow to; the prologue compares
	// the stack pointer against it.
	RefStackLimit
	// RefRuntime is runtime routine Index ([RuntimeRoutine]).
	RefRuntime
	// RefImport is the 8-byte pointer slot of dyld-bound import Index (Image.Imports,
	// macOS only): code calls through it, call [rip+slot] on amd64 and ADRP + LDR + BLR
	// on arm64.
	RefImport
	// RefFunctab is the function table (rtlib/doc.go): {count, end} and then {start, name
	// address, name length} per defined function, sorted by start, for trap reports.
	RefFunctab
	// RefRuntimeData is byte Index of the runtime's own data (Runtime.DataSize).
	RefRuntimeData
)

// SymRef names one symbol of the program that code refers to.
type SymRef struct {
	Kind  RefKind
	Index uint32
}

// RuntimeRoutine numbers the routines machine code calls for what is not inline: traps,
// and the memory and table operations that are long or need the operating system.
type RuntimeRoutine uint32

// Runtime routines. Each takes its operands in the ISA's argument registers in order and
// returns its result in the first result register; all preserve the callee-saved
// registers of the ISA's ABI. A memory, table, data or element operand is that entity's
// index, passed as an i32; other operands and results have the types of the IR op's
// operands and results, held as the ISA's convention holds them (on amd64, an i32
// zero-extended to 64 bits, so a -1 result is 0x00000000_ffffffff).
const (
	// RtTrap(code) prints the trap's message, function and offset, and exits 134. It
	// finds the function from its return address.
	RtTrap RuntimeRoutine = iota
	// RtMemoryGrow(mem, delta pages) → old size in pages, or -1.
	RtMemoryGrow
	// RtMemoryFill(mem, dst, value, n), RtMemoryCopy(dstmem, srcmem, dst, src, n),
	// RtMemoryInit(mem, data, dst, src, n) → 0, or 1 for an out-of-bounds range, which
	// they leave unwritten and the caller then traps on with oob_memory. The trap is the
	// caller's so that its report names the wasm function, not the runtime.
	RtMemoryFill
	RtMemoryCopy
	RtMemoryInit
	// RtTableGrow(table, ref, delta) → old size or -1; RtTableFill(table, i, ref, n),
	// RtTableCopy(dsttable, srctable, d, s, n), RtTableInit(table, elem, d, s, n) → 0, or
	// 1 for an out-of-bounds range, on which the caller traps with oob_table.
	RtTableGrow
	RtTableFill
	RtTableCopy
	RtTableInit
	NumRuntimeRoutines
)

// Env tells instruction selection how the linked program's state is laid out. Every
// piece of state is a symbol (SymRef) that code reaches PC-relatively; see the package doc
// for the execution model.
type Env struct {
	// Module is the linked module the function belongs to.
	Module *ir.Module
	// TypeIDs gives each entry of Module.Types the program-wide id of its signature:
	// structurally equal signatures share an id, so call_indirect compares one word.
	TypeIDs []uint32
	// StackCheck asks for the prologue's stack-limit compare.
	StackCheck bool
	// BoundsChecks says whether 32-bit memories rely on guard pages (guard.go).
	BoundsChecks BoundsChecks
	// CPU is the processor level the code may use ([CPU]): instruction selection reads
	// it, and nothing else decides which instructions appear.
	CPU CPU
	// FastRegalloc says the code goes to [regalloc.RunFast], which needs only the
	// critical edges that pass arguments split ([LayOutBlocks]).
	FastRegalloc bool
	// OS is the operating system the code runs on: an ir.OpSyscall is a system call on
	// Linux (and for the zero value) and a libSystem call on darwin ([ir.LibcallImm]).
	OS OS
}
