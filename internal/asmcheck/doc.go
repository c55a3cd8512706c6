// Package asmcheck checks the machine code wasmc generates against patterns written next to
// the WebAssembly it came from, as Go's test/codegen ("asmcheck") does for Go: it owns the
// check syntax ([Parse]), the matcher ([Run]) and the disassembly of executables ([ELF]),
// with one decoder per ELF machine. A .wat file carries comment lines such as
//
//	;; amd64: "^lea " -"^imul "
//	;; amd64: 1 `^cmp .*\[wasmc\.memories\+8\]`
//
// Each line starts with an architecture and a colon (amd64, arm64) and holds one or more
// checks, separated by spaces or commas. A check is a Go regexp written as a Go string
// literal, either interpreted ("…", so a backslash is written \\) or raw (`…`):
//
//	"re"     some instruction of the function matches re;
//	-"re"    no instruction matches re;
//	N "re"   exactly N instructions match re (one bounds check per loop, say).
//
// Each may say head before the pattern (head "re", -head "re", N head "re") to count only
// the instructions at loop heads: from each target of a backward branch through the first
// branch, return or trap after it, the code every pass of a loop runs at its start. A store
// there runs on every pass, where one on an edge into the loop or around it need not.
//
// A check line inside a (func $name …) constrains that function; one outside any function
// constrains the next (func $name …) of the module, so checks may sit just above the function.
// The function must have a $name, which wasmc's executables carry in their symbol table as
// "$name"; checks on a function that dead-function elimination removed fail, so a codegen
// test exports every function it checks.
//
// Patterns are matched against one instruction at a time, without its address, in the
// syntax [ELF] produces. For amd64 that is x86asm's Intel syntax rather than GNU's AT&T:
// destination first and registers without %, as in wasmc's own dumps (amd64/format.go), so
// patterns read like the dumps and need no escaped % or parentheses. Sizes are written on
// memory operands rather than as mnemonic suffixes, and a scale of 1 is left out: a dump's
// "addl ecx, [rsi + rdx*1 + 0x400]" is "add ecx, dword ptr [rsi+rdx+0x400]" here. Two
// spellings are changed to match the dumps: conditional jumps, setcc and cmovcc take the
// names GNU and wasmc use (jae, seta, cmovl; Intel syntax says jnb, setnbe), and lea loses
// x86asm's stray "ptr". RIP-relative operands and call targets name their symbol
// ("cmp rsp, qword ptr [wasmc.stack_limit]", "call wasmc.trap"); other branch targets are
// addresses, which a failure's listing shows beside each instruction.
//
// For arm64 it is arm64asm's GNU syntax, as wasmc's dumps (arm64/format.go) write it too,
// with ", " between the parts of a memory operand ("ldr w0, [x17, #16]", "ldr x2, [x3, w0,
// uxtw #3]"). A branch or bl to the start of a symbol names it ("bl wasmc.trap"), other
// targets are addresses; the low 12 bits that complete an adrp (the add, load or store
// that uses its register) name what the pair addresses after the instruction, as objdump
// does: "ldr x16, [x16, #40] <wasmc.memories+8>". A word that is no instruction (a jump
// table entry) is ".word 0x…".
//
// A line whose word before the colon is no architecture is an ordinary comment, unless a
// pattern follows the colon, which is then reported as a likely misspelt architecture.
//
// The package imports only the standard library and golang.org/x/arch.
package asmcheck
