package osrun_test

import (
	"testing"

	"github.com/wasmc/wasmc/internal/osrun"
)

// TestRefuses: For refuses an OS or architecture it cannot run, before building anything.
func TestRefuses(t *testing.T) {
	for _, tc := range [][2]string{{"darwin", "riscv64"}, {"plan9", "amd64"}} {
		if _, err := osrun.For(tc[0], tc[1], t.TempDir()); err == nil {
			t.Errorf("For(%s, %s): no error", tc[0], tc[1])
		}
	}
}
