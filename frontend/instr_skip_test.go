package frontend

import "testing"

// TestSkipMatchesReadInstr checks skipShort, skipPlain and skipSized against ReadInstr on every
// one-byte opcode followed by every second byte and a choice of third and fourth bytes:
// each must stop where ReadInstr would leave its short forms, skip what it reads in one,
// and give the index it reads.
func TestSkipMatchesReadInstr(t *testing.T) {
	more := []byte{0x00, 0x05, 0x1F, 0x20, 0x7F, 0x80, 0xFF}
	skipped := 0
	for b0 := range 256 {
		for b1 := range 256 {
			for _, b2 := range more {
				for _, b3 := range more {
					body := []byte{0x01, byte(b0), byte(b1), b2, b3, 0x01, 0x0B, 0x0B, 0x0B}
					const pos = 1
					var in Instr
					want, err := ReadInstr(body, pos, 0, &in)
					short := err == nil && !in.long
					next, idx := skipShort(body, pos)
					if short && (next != want || shortKinds[b0] == shortIdx && idx != in.Idx) || !short && next != 0 {
						t.Fatalf("% x: skipShort gives %d, %d; ReadInstr %d, %d (error %v, short %v)",
							body[pos:], next, idx, want, in.Idx, err, short)
					}
					wantPlain, _ := plainEnd(body, pos, &exprKinds, &callsSizes)
					if got := skipPlain(body, pos, &exprKinds); got != wantPlain {
						t.Fatalf("% x: skipPlain stops at %d, ReadInstr's short forms at %d", body[pos:], got, wantPlain)
					} else if got > pos {
						skipped++
					}
					got, size := skipSized(body, pos, &callsKinds, &callsSizes)
					if wantEnd, wantSize := plainEnd(body, pos, &callsKinds, &callsSizes); got != wantEnd || size != wantSize {
						t.Fatalf("% x: skipSized stops at %d with size %d, ReadInstr's short forms at %d with %d",
							body[pos:], got, size, wantEnd, wantSize)
					}
				}
			}
		}
	}
	if skipped == 0 {
		t.Fatal("skipPlain skipped nothing")
	}
	t.Logf("%d bodies skipped from the first instruction", skipped)
}

// plainEnd is what skipPlain and skipSized should return: the offset of the first
// instruction, from pos on, that ReadInstr reads with its reader, fails on, or has fewer
// than three bytes to read, or whose kind is shortNo; and the sum of the sizes of those
// before it.
func plainEnd(body []byte, pos int, kinds *[0x100]shortKind, sizes *[0x100]uint8) (int, int) {
	size := 0
	for len(body)-pos >= 3 && kinds[body[pos]] != shortNo {
		var in Instr
		next, err := ReadInstr(body, pos, 0, &in)
		if err != nil || in.long {
			return pos, size
		}
		size += int(sizes[body[pos]])
		pos = next
	}
	return pos, size
}
