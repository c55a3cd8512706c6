package frontend

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// TestReadShortMatchesReader reads every one-byte opcode followed by every second byte
// and a choice of third bytes, and checks that ReadInstr, which takes the short forms
// without its reader, returns what the reader alone returns: the same instruction, next
// offset and error.
func TestReadShortMatchesReader(t *testing.T) {
	thirds := []byte{0x00, 0x05, 0x1F, 0x20, 0x7F, 0x80, 0xFF}
	short := 0
	for b0 := range 256 {
		for b1 := range 256 {
			for _, b2 := range thirds {
				body := []byte{0x41, byte(b0), byte(b1), b2, 0x01, 0x0B}
				const pos = 1
				var got Instr
				gotNext, gotErr := ReadInstr(body, pos, 100, &got)
				want := Instr{Offset: pos} // as ReadInstr clears it
				wantNext, wantErr := readInstr(body, pos, 100, &want)
				got.long, want.long = false, false // which way read them is the point here
				if gotNext != wantNext || !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) ||
					gotErr != nil && gotErr.Error() != wantErr.Error() {
					t.Fatalf("% x: ReadInstr gives %d, %+v, %v; the reader %d, %+v, %v",
						body[pos:pos+3], gotNext, got, gotErr, wantNext, want, wantErr)
				}
				if _, ok := readShort(body, pos, &Instr{}); ok {
					short++
				}
			}
		}
	}
	t.Logf("%d of %d read in a short form", short, 256*256*len(thirds))
}

// TestReadShortForms counts the instructions of a body of the common forms that
// ReadInstr hands to its reader (issue 21): none, since each of its immediates is one
// byte. Before, every instruction went through the reader and its checks, twice a body.
func TestReadShortForms(t *testing.T) {
	body := []byte{
		0x02, 0x40, // block
		0x03, 0x7F, // loop (result i32)
		0x04, 0x00, // if (type 0)
		0x20, 0x03, // local.get 3
		0x21, 0x7F, // local.set 127
		0x23, 0x00, // global.get 0
		0x41, 0x7F, // i32.const -1
		0x42, 0x3F, // i64.const 63
		0x28, 0x02, 0x10, // i32.load align=4 offset=16
		0x37, 0x03, 0x00, // i64.store align=8
		0x29, 0x03, 0x80, 0x02, // i64.load align=8 offset=256
		0x0D, 0x01, // br_if 1
		0x10, 0x05, // call 5
		0x10, 0x80, 0x80, 0x01, // call 16384
		0x41, 0x80, 0x80, 0x80, 0x40, // i32.const -2^27
		0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, // i64.const -2^56
		0x6A, // i32.add
		0x1A, // drop
		0x0B, // end
		0x0B, // end
		0x0B, // end
	}
	reads, long := 0, 0
	for pos := 0; pos < len(body)-2; reads++ {
		var in Instr
		next, ok := readShort(body, pos, &in)
		if !ok {
			long++
			var err error
			if next, err = ReadInstr(body, pos, 0, &in); err != nil {
				t.Fatal(err)
			}
		}
		pos = next
	}
	if long != 0 {
		t.Errorf("%d of %d instructions went to the reader, want none", long, reads)
	}
}

// readShort reads the instruction at pos into in as ReadInstr does, and returns the
// offset of the next one and whether it was read in a short form, without the reader.
func readShort(body []byte, pos int, in *Instr) (int, bool) {
	next, err := ReadInstr(body, pos, 0, in)
	return next, err == nil && !in.long
}

// TestReadShortLEB compares ReadInstr with the reader on the multi-byte immediates that
// the short forms take, and on those one byte longer, which they leave to the reader:
// every length up to the widest, with each last byte that matters.
func TestReadShortLEB(t *testing.T) {
	lasts := []byte{0x00, 0x01, 0x0F, 0x10, 0x3F, 0x40, 0x70, 0x7F, 0x80}
	// i32.const, i64.const, call, local.get, br; i32.load align=4 and align=32, whose
	// immediate here is the offset.
	for _, lead := range [][]byte{{0x41}, {0x42}, {0x10}, {0x20}, {0x0C}, {0x28, 0x02}, {0x28, 0x20}} {
		for n := 1; n <= 11; n++ {
			for _, last := range lasts {
				body := slices.Clone(lead)
				for range n - 1 {
					body = append(body, 0xFF)
				}
				body = append(body, last, 0x0B)
				var got Instr
				gotNext, gotErr := ReadInstr(body, 0, 7, &got)
				want := Instr{}
				wantNext, wantErr := readInstr(body, 0, 7, &want)
				got.long, want.long = false, false
				if gotNext != wantNext || !reflect.DeepEqual(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Fatalf("% x: ReadInstr gives %d, %+v, %v; the reader %d, %+v, %v",
						body, gotNext, got, gotErr, wantNext, want, wantErr)
				}
			}
		}
	}
}
