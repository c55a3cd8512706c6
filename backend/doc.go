// Package backend is the machine-independent half of code generation: the ISA interface
// that each instruction set implements, machine functions over virtual registers, value
// analysis, block layout, applying register allocations, jump threading, the bookkeeping of
// encoding, relocations, and the ELF and Mach-O writers that turn a linked program into an
// executable file.
//
// An ISA package (amd64, arm64) lowers [ir] functions into machine instructions and encodes
// them; everything that does not depend on which instruction set it is lives here, so each
// target is written once. The writers consume a format-neutral [Image] in two steps, a layout
// that fixes every segment's address and a write that produces the bytes, so that the linker
// can resolve absolute and PC-relative relocations in between.
//
// # What an ISA writes and what it shares
//
// An ISA writes instruction selection per IR op, its frames and calling convention, the
// encoding and the printing of its instructions. The rest of a function's way from IR to
// bytes is here, generic over the ISA's instruction type, so that amd64 and arm64 share it:
//
//   - [Func] is the machine function an ISA's [MachineFunc] embeds: blocks in layout order,
//     their edges and parameters, the instructions in one dense slice, the virtual
//     registers' types. It is the [regalloc.Func] the allocator reads; it reaches what it
//     needs of an instruction through [Inst], which the ISA implements on its instruction
//     type.
//   - [AnalyzeValues] decides per value how selection lowers it (a rematerialized
//     constant, a compare fused into its branch, dead, a load folded into its user; the ISA
//     answers [Folding]); [LayOutBlocks] orders the machine blocks and splits critical
//     edges; [Func.Select] walks the blocks, calling the ISA's [BlockSelector].
//   - [Func.Apply] applies an allocation: it inserts the allocator's edits and checks the
//     answer's shape, the ISA's [Finisher] making the instructions (prologue, moves,
//     spills, reloads, registers, epilogues); then it threads jumps.
//   - [Emitter] is the bookkeeping of encoding: block labels, out-of-line trap stubs, jump
//     tables, the jumps recorded for branch relaxation, relocations and trap sites, over the
//     ISA's code buffer ([Assembler]).
//   - [Func.Format] is the dump's scaffold of blocks and labels; the ISA prints each
//     instruction, naming targets with [Func.TargetName] and symbols with [SymName].
//
// # Execution model
//
// A program is one linked [ir.Module] (the user's modules and the runtime, DESIGN.md
// decisions 6 and 11). All of its state is static: every memory, table, global, passive
// segment and the stack limit is a symbol in the data segment, reached PC-relatively
// ([SymRef], [Reloc]); there is no context register to pass. Because the linker sees the
// whole program, an import between two linked modules is the same symbol, not a pointer
// to chase.
//
//   - A memory's descriptor is four words {base, size in bytes, max in bytes, reserve}.
//     The base never moves, and memory 0's lives in a register that no function writes
//     (amd64 r15, arm64 x28), set by process entry. With explicit checks
//     ([BoundsExplicit]) boundscheck compares the zero-extended address plus the access
//     end against the size and branches to a trap; the load or store then addresses
//     base + address + offset. With guard pages ([BoundsGuard], guard.go) a 32-bit memory
//     reserves 4 GiB plus a 2 GiB guard region, and a boundscheck whose access follows it
//     and ends within the guard region emits nothing: the access faults instead, and the
//     entry's SIGSEGV handler turns the fault into the same trap report.
//   - A global is 8 bytes (16 for v128) at its symbol.
//   - A passive data segment's descriptor is {base, length}; an element segment's is
//     {base, length, funcrefs} ([ElemDescSize]), its elements 32-bit function indices
//     (^0 for null) that table.init turns into references, funcrefs + 16*index: four
//     read-only bytes an element and no relocation.
//   - A funcref is the address of the function's descriptor {code address, type id}
//     (16 bytes, read-only), or 0 for null. A table's descriptor is {base, size, max, budget} (ir.TableDescSize);
//     its elements are 8-byte references. call_indirect checks the index against the
//     size (undefined element), the element against 0 (uninitialized element) and the
//     descriptor's type id against the expected one ([Env.TypeIDs]: one word compare),
//     then calls the code address.
//   - A trap branches to an out-of-line stub at the end of the function that passes the
//     trap code to the runtime routine [RtTrap]; the routine finds the function from the
//     return address, prints the message and exits with status 134 (decision 8).
//   - The prologue compares the stack pointer with the word at RefStackLimit and traps
//     with stack_exhausted below it, so a wasm program never dies of SIGSEGV, whatever its
//     frame size. arm64 compares sp minus the frame before it moves sp; amd64 does so for
//     a frame over 4 KiB and compares after allocating a smaller one. The limit leaves
//     room below it (64 KiB) for what a prologue pushes, a small frame and RtTrap itself.
//   - memory.grow, the bulk memory operations and the table operations call runtime
//     routines ([RuntimeRoutine]); everything else is inline, and so are memory.fill and
//     memory.copy on amd64 (rep stosb, rep movsb after the range check).
//
// Wasm functions call each other with the ISA's own convention (arguments and results in
// registers, the rest on the stack), described in each ISA's abi.go.
//
// Output is deterministic (DESIGN.md decision 9): no timestamps, and no map iteration order
// reaches the bytes.
//
// backend imports ir and regalloc, never an ISA package: the CLI hands it one.
package backend
