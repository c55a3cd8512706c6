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
// For arm64 the syntax is GNU's, as arm64asm.GNUSyntax writes it: lower case, destination
// first, immediates with #, memory operands without spaces ("ldr x1, [x0,#16]",
// "add x0, x0, w1, uxtw #3", "b.cs 0x401010", "cset w0, ne"). Branches, adr and literal
// loads name their target's symbol when it starts one ("bl wasmc.trap") and give its
// address otherwise; an adrp and the add, load or store right after it that completes the
// address name the symbol as an assembler source does ("adrp x16, wasmc.stack_limit",
// "ldr x16, [x16,#:lo12:wasmc.stack_limit]"); an adrp alone shows its page's address.
//
// A line whose word before the colon is no architecture is an ordinary comment, unless a
// pattern follows the colon, which is then reported as a likely misspelt architecture.
//
// The package imports only the standard library and golang.org/x/arch.
package asmcheck
