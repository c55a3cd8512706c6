// Package regalloc assigns physical registers to virtual ones by linear scan on SSA form
// (Wimmer & Franz, "Linear Scan Register Allocation on SSA Form", CGO 2010): live intervals
// with holes and use positions, splitting at the best position, spill slots reused, fixed
// registers, moves resolved on block edges. It knows no ISA; a backend describes its machine
// function through [Func] and gets back a [Result]. It imports nothing from wasmc.
//
// Background: linear scan is Poletto & Sarkar, "Linear Scan Register Allocation" (TOPLAS
// 1999); lifetime holes and the second-chance binpacking resolution of edges come from Traub,
// Holloway & Smith (PLDI 1998); splitting, use positions and the choice of split positions
// from Wimmer & Mössenböck, "Optimized Interval Splitting in a Linear Scan Register
// Allocator" (VEE 2005). Liveness is exact: for each virtual register, a walk from its uses
// back to its definition ("path exploration", from Appel's Tiger book, as in Brandner et al.,
// "Computing Liveness Sets for SSA-Form Programs", INRIA 2011), never a set of every
// register per block, so neither time nor memory grows with registers × blocks.
//
// # Model
//
// Instruction i reads its uses at position 2i (early) and writes its defs at 2i+1 (late);
// moves inserted before i happen between 2i-1 and 2i. A def may therefore take the register
// of a use that dies at the same instruction. Fixed constraints are physical registers named
// as operands (regalloc2's and wazero's model too): a backend copies a value into rcx and
// names rcx in the shift, names rax and rdx in the division, and copies call results out of
// rax. A physical register so written is live only from that def to its uses in the same
// block (the entry block may also read incoming argument registers); the allocator keeps
// virtual registers out of it meanwhile. Clobbers block their registers at the late point,
// so no value lives across a call in a caller-saved register. Two-address instructions use
// [ReuseDef].
//
// Block parameters are explicit ([Func.BlockParams], [Func.BranchArgs]), not copies the
// backend inserts: the allocator resolves them, together with the values live across each
// edge, as one parallel move per edge. Moves go at the start of the successor when it has
// one predecessor, otherwise before the jump that ends the predecessor, so the backend must
// split critical edges first; Run rejects them.
//
// # Output
//
// [Result.Alloc] gives each operand a register (a spill slot only for the source of a copy),
// and [Result.Edits] lists what the backend inserts: moves, spill stores and reloads, each
// before a given instruction. A value that is ever spilled is stored once, right after its
// definition; in SSA form its slot then stays valid, so later spills are free and only
// reloads cost. A block parameter whose block some edge enters with the value already in the
// parameter's slot (the parameter itself, around a loop, or an argument given the same slot)
// is stored on the other edges instead of at the block's start, so that a loop header does
// not store it on every pass. Parallel moves are sequentialised with the class's scratch
// register ([Config.Scratch]) breaking cycles (through an extra spill slot when a cycle has a
// slot-to-slot move, which itself goes through the scratch register). Output depends only on
// the input: no maps, no randomness.
//
// # The fast allocator
//
// [RunFast] is a second allocator for the same interface, -O0's: one forward pass, registers
// assigned within each block as in Go's -N or LLVM's and Cranelift's "fast" allocators,
// every value live across a block boundary kept in a spill slot of its own while it lives.
// Its Result has the same form, and Check judges it the same way.
//
// # Invariants
//
// Run checks the input (see [Func]) and returns [*Error] for bad input or an instruction
// needing more registers at once than exist; it panics only on its own bugs. [Check]
// verifies any Result independently by symbolic execution; tests run it on every allocation.
package regalloc
