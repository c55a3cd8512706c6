package wat

import "github.com/wasmc/wasmc/frontend"

// The module keeps function bodies and constant expressions in the binary instruction
// format (frontend.Code.Body), so the text parser encodes instructions as it reads them.
// These are the few primitive encodings it needs; whole sections are frontend.Encode's job.

// appendULEB appends v as unsigned LEB128.
func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// appendSLEB appends v as signed LEB128.
func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7F)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

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
