package amd64

import (
	"testing"
	"unsafe"
)

// TestInstSize holds the machine instruction to its packed size: a huge function has one
// per machine instruction, twice while Apply copies them, and at 120 bytes they were the
// largest part of the compiler's peak memory on such functions (issue 19). A field added
// to inst should find room in the padding or go to the instructions that need it.
func TestInstSize(t *testing.T) {
	if n := unsafe.Sizeof(inst{}); n > 88 {
		t.Errorf("inst is %d bytes, more than 88", n)
	}
}
