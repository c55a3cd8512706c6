package amd64

import "testing"

// TestOpTable checks that every op has its row: a name template whose fields all exist, and
// an encoder unless Finish replaces the op (opCopy).
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
		for _, w := range []Width{W32, W64} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%v: %v", o, r)
					}
				}()
				info.mnemonic(&inst{op: o, w: w, w2: w})
			}()
		}
	}
}

// TestDescribeAgreesWithInst checks that Describe, through which the allocator reads each
// instruction, says what IsCall and IsCopy say of every op: darwin's opLibcall once
// clobbered the caller-saved registers by IsCall but not by Describe, so a value could
// stay in one across a libSystem call.
func TestDescribeAgreesWithInst(t *testing.T) {
	for o := opNone + 1; o < numOps; o++ {
		in := &inst{op: o}
		_, call, isCopy := in.Describe()
		if call != in.IsCall() || isCopy != in.IsCopy() {
			t.Errorf("%v: Describe says call %v, copy %v; IsCall %v, IsCopy %v", o, call, isCopy, in.IsCall(), in.IsCopy())
		}
	}
}
