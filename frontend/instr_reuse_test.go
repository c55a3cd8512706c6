package frontend

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestReadInstrReuse: an Instr read into again holds what a new one would, whatever the
// instruction before left in it; ReadInstr resets its fields one by one (issue 21), so
// a field it forgets shows here. Every instruction kind with an immediate follows one
// that sets other fields.
func TestReadInstrReuse(t *testing.T) {
	body := []byte{
		0xFD, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, // v128.const
		0xFD, 21, 7, // i8x16.extract_lane_s 7
		0xFD, 84, 2, 8, 3, // v128.load8_lane align=2 offset=8 lane 3
		0x1C, 1, 0x7F, // select (result i32)
		0xD0, 0x70, // ref.null func
		0x0E, 2, 0, 1, 0, // br_table 0 1 default 0
		0x28, 2, 8, // i32.load align=2 offset=8
		0x02, 0x7F, // block (result i32)
		0x44, 1, 2, 3, 4, 5, 6, 7, 8, // f64.const
		0x42, 0x7F, // i64.const -1
		0x11, 3, 0, // call_indirect type 3 table 0
		0xFC, 8, 5, 0, // memory.init 5 memory 0
		0x20, 9, // local.get 9
		0x01, // nop
	}
	var in Instr
	for pos := 0; pos < len(body); {
		var fresh Instr
		want, err := ReadInstr(body, pos, 0, &fresh)
		if err != nil {
			t.Fatalf("at %d: %v", pos, err)
		}
		next, err := ReadInstr(body, pos, 0, &in)
		if err != nil || next != want {
			t.Fatalf("at %d: read again: next %d, %v; want %d", pos, next, err, want)
		}
		if diff := cmp.Diff(fresh, in, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(Instr{})); diff != "" {
			t.Fatalf("at %d: %s read into a used Instr differs (-new +reused):\n%s", pos, fresh.Op, diff)
		}
		pos = next
	}
}
