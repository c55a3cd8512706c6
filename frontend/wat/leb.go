package wat

import "github.com/wasmc/wasmc/frontend"

// The module keeps function bodies and constant expressions in the binary instruction
// format (frontend.Code.Body), so the text parser encodes instructions as it reads them.
// These are the few primitive encodings it needs; whole sections are frontend.Encode's job.

// The LEB128 encodings are frontend's.
var appendULEB, appendSLEB = frontend.AppendULEB, frontend.AppendSLEB

// appendOp appends an opcode: one byte, or a prefix byte and the LEB128 sub-opcode.
func appendOp(b []byte, op frontend.Opcode) []byte {
	if p := op >> 16; p != 0 {
		return appendULEB(append(b, byte(p)), uint64(op&0xFFFF))
	}
	return append(b, byte(op))
}

// appendLE appends the n low bytes of v, little-endian: float bit patterns and v128 lanes.
func appendLE(b []byte, v uint64, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}
