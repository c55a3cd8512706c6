// Package amd64 owns the x86-64 instruction set: its registers, the calling convention
// (abi.go), instruction selection from [ir] into machine functions over virtual registers
// (lower*.go), frames (finish.go), and the encoding and printing of machine instructions.
// [New] returns it as a [backend.ISA]. What is the same on every ISA (the machine function's
// blocks and virtual registers, value analysis, block layout, applying the allocation, jump
// threading, trap stubs, jump tables, the dump's scaffold) is backend's; the machine function
// embeds a backend.Func of this package's instructions (mfunc.go, inst.go).
//
// Each machine op is described once, by its row in the op table (ops.go): its mnemonic, its
// flags, its encoder and, where the generic dump line does not fit, its printer.
//
// Instruction selection is Go switches over IR ops with small matchers: address modes
// fold base+index+offset, a full-width load used only by the next ALU op folds into it, a
// compare used only by the next branch, trapif or select fuses with it, add of a constant
// becomes lea. Values of type i32 stay zero-extended in 64-bit registers, so a wasm
// address indexes memory directly.
//
// The code depends on one processor level, [backend.Env.CPU] (--cpu), never on the build
// host, and process entry refuses a CPU below it in one line (runtime_cpu.go). At
// x86-64-v2, the default, scalar code uses POPCNT and SSE4.1's roundss, and clz and ctz are
// bsr and bsf with a cmov. At x86-64-v3 clz and ctz are lzcnt and tzcnt, shifts by a
// register are BMI2's three-operand shlx, shrx and sarx (no count in cl), rotates by a
// constant are rorx, and a & ~b is andn (lower_andn.go); encode_bmi.go encodes them (VEX).
// Vector code is the same SSE at both levels: its AVX2 forms are a later step.
//
// Vector ops (lower_vec*.go) select SSE up to SSE4.2 and no AVX: v128 values live in the XMM
// registers of the float class, and the packed instructions are rows of one table
// (encode_vec.go: prefix, opcode, operand kinds) under one machine op, opVec, rather than
// an op each.
//
// The encoder is one plain function per instruction form, each citing its Intel SDM vol. 2 entry.
// A function returns an [Inst], the encoded bytes of one instruction, and never writes anywhere,
// so isel, tests and the frame code share the same constructors; an [Asm] appends them to a buffer
// and resolves jumps to [Label]s and other PC-relative fields ([Ref]).
//
// Names follow one scheme. Operands are in Intel order, destination first, as in the manual.
// A suffix names the operand kinds in that order: R a register (general or XMM, as the
// instruction dictates), M a memory operand [Mem], I an immediate; so [AddRM] is "dst += load",
// [MovMR] is a store and [MovRM] a load. [MovdXR] and [MovdRX] use X to say which side of MOVD/MOVQ is
// the XMM register. A [Width] selects the operand size where the instruction has several.
//
// Passing an operand an instruction cannot take (an XMM register to ADD, RSP as an index, a width
// the form lacks) is a bug in the compiler, not in its input, and panics.
//
// Every form is checked by the tests against golang.org/x/arch/x86/x86asm, an independent
// decoder: decoding must consume exactly the encoded bytes and print the expected GNU text.
//
// The package imports backend, ir and regalloc (whose types the [backend.ISA] interface
// uses), never arm64.
package amd64
