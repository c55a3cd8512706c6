package arm64

import "testing"

// TestOpTable checks that every op has its row: a name, and an encoder unless Finish
// replaces the op (opCopy).
func TestOpTable(t *testing.T) {
	for o := opNone + 1; o < numOps; o++ {
		info := &opTable[o]
		if info.name == "" {
			t.Errorf("op %d has no row in opTable", o)
			continue
		}
		if (info.emit == nil) != (o == opCopy) {
			t.Errorf("%v: emit is nil: %v", o, info.emit == nil)
		}
	}
}
