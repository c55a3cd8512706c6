// Package arm64 owns the A64 instruction set of AArch64: its registers, the calling
// convention (abi.go), instruction selection from [ir] into machine functions over virtual
// registers (lower*.go, absorb.go), frames (finish.go), process entry and the trap routine
// (runtime.go), and the encoding and printing of machine instructions. [New] returns it as a
// [backend.ISA]. What is the same on every ISA (the machine function's blocks and virtual
// registers, value analysis, block layout, applying the allocation, jump threading, trap
// stubs, the dump's scaffold) is backend's; the machine function embeds a backend.Func of this
// package's instructions (mfunc.go, inst.go).
//
// Each machine op is described once, by its row in the op table (ops.go): its mnemonic, its
// flags, its encoder and, where the generic dump line does not fit, its printer.
//
// Instruction selection is Go switches over IR ops with small matchers: constants become
// add/sub and bitmask immediates, shifts by a constant become shifted operands and multiplies
// the products of madd and msub, a compare used only by the next branch, trapif or select
// fuses with it (a test against zero becomes cbz or cbnz), accesses index the memory base
// with the uxtw-extended address. Values of type i32 stay zero-extended in 64-bit registers.
// The prologue compares sp minus the whole frame with the stack limit before sp moves, so a
// wasm program never dies of SIGSEGV, whatever its frames' sizes.
//
// On darwin (experimental) a system call is a call of a libSystem function through its
// import slot with Apple's arm64 convention (lower_host.go, emit_libcall.go), and process
// entry is main as dyld calls it, reaching the system the same way (runtime_macos.go).
//
// Vector ops (WebAssembly SIMD) are selected with the Advanced SIMD instructions of
// Armv8.0-A (lower_vec.go, lower_vec_mem.go): v128 values live in the SIMD&FP registers
// (the float class), pass and return as floats do (abi.go), load and store as q registers,
// and a function with v128 values has 16-byte spill slots and treats v8-v15 as clobbered
// by its calls (finish.go, lower.go, abi.go). The Advanced SIMD instructions are one table of rows,
// the fixed bits of each word ([VecInst], encode_vec.go), and one machine op over them.
//
// The encoder is one plain function per instruction form, each citing its section of the Arm
// Architecture Reference Manual for A-profile (DDI 0487, "Arm ARM"), chapter C6 for the base
// instructions and C7 for SIMD and floating point. A function returns an [Inst], one 32-bit
// instruction word, and never writes anywhere, so isel, tests and the frame code share the same
// constructors; an [Asm] appends them to a buffer, resolves branches to [Label]s and reports
// the fields a linker must fill in as [Ref]s.
//
// Names follow the manual's mnemonics ([Add], [Csinc], [Fcvtzs]); a suffix names a variant
// form where the mnemonic has several: Imm an immediate, Shift a shifted register, Ext an
// extended register, Lit a PC-relative literal, V a SIMD&FP register operand ([LdrV], [StpV]),
// VR and RV which side of an FMOV is the SIMD&FP register, 8B the vector arrangement
// ([Cnt8B]). [MovImm] and [Popcnt] return short sequences rather than one instruction.
// Operands are in the manual's order, destination first. A [Width] selects the operand size:
// W32 or W64 for general registers (the sf bit, the w or x view), W32 or W64 for floating
// point (s or d); loads and stores also take W8, W16 and, for SIMD&FP registers, W128.
// Registers are [Reg] values whatever the view; the instruction says which view it uses.
//
// Register number 31 means the stack pointer in some operand fields and the zero register in
// others (Arm ARM chapter C1, "Register names"). The two are distinct values here, [SP] and
// [XZR], and every field accepts only the one it means: passing XZR as the base of a load, or
// SP to MUL, panics instead of silently encoding the other register.
//
// Passing an operand an instruction cannot take (an out-of-range immediate, an immediate that
// is no bitmask, SP where 31 means XZR, a misaligned branch offset) is a bug in the compiler,
// not in its input, and panics. A branch to a [Label] that its instruction cannot reach is
// different, since a large enough function causes it; [Asm.Finish] reports it as an error,
// and encoding a function then relaxes its conditional branches (emit.go).
//
// Every form is checked by the tests against golang.org/x/arch/arm64/arm64asm, an independent
// decoder: the word must decode and print the expected GNU text. What arm64asm cannot decode
// (UDF) is checked against a short table of fields taken from the Arm ARM by hand. Compiled
// code runs in the tests under qemu-aarch64-static on other hosts.
//
// The package imports backend, ir and regalloc (whose types the [backend.ISA] interface
// uses), never amd64.
package arm64
