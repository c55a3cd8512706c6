// Package backend is the machine-independent half of code generation: the ISA interface
// that each instruction set implements, machine functions over virtual registers, frames, the
// ABI, relocations, layout, and the ELF and Mach-O writers that turn a linked program into an
// executable file.
//
// An ISA package (amd64, arm64) lowers [ir] functions into machine instructions and encodes
// them; everything that does not depend on which instruction set it is lives here, so each
// target is written once. The writers consume a format-neutral [Image] in two steps, a layout
// that fixes every segment's address and a write that produces the bytes, so that the linker
// can resolve absolute and PC-relative relocations in between.
//
// Output is deterministic (DESIGN.md decision 9): no timestamps, and no map iteration order
// reaches the bytes.
//
// backend imports ir and regalloc, never an ISA package: the CLI hands it one.
package backend
