// Package frontend owns WebAssembly modules before they become IR: decoding the binary
// format ([Decode]), encoding it back ([Encode]), validating a decoded module by the spec's
// algorithm ([Validate]), and lowering a validated module to [ir] ([Lower]).
//
// Invariants:
//   - Nothing here panics on input. A malformed binary yields a [*DecodeError] naming the
//     byte offset; an invalid module yields a [*ValidationError] naming the offset of the
//     offending item or instruction.
//   - No count declared by the input allocates memory before the bytes that back it have
//     been seen: a vector of 2^32 locals is rejected by the length of the section, not by
//     an out-of-memory.
//   - Module items keep the source offset they were read from ([Module] fields named
//     Offset). For a binary that is the byte offset in the file; the text parser in
//     frontend/wat stores byte offsets of its source text instead, so one validator serves
//     both and each caller turns the offset into its own notation.
//
// Function bodies stay as bytes ([Code.Body]); [ReadInstr] decodes one instruction at a
// time, and the decoder, the validator and lowering all read bodies through it, so the
// instruction set is described once, in the opcode table of opcode.go.
//
// The package imports only ir (DESIGN.md: frontend → ir).
package frontend
