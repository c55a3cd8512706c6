package amd64

import "testing"

// TestRegNum checks Num's single range test: hardware numbers for both register files and
// a panic for the registers that have none.
func TestRegNum(t *testing.T) {
	for r := RAX; r <= R15; r++ {
		if got := r.Num(); got != uint8(r-RAX) {
			t.Errorf("%v.Num() = %d, want %d", r, got, r-RAX)
		}
	}
	for r := X0; r <= X15; r++ {
		if got := r.Num(); got != uint8(r-X0) {
			t.Errorf("%v.Num() = %d, want %d", r, got, r-X0)
		}
	}
	for _, r := range []Reg{NoReg, RIP, RIP + 1, 255} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Reg(%d).Num() did not panic", r)
				}
			}()
			r.Num()
		}()
	}
}
