package targettest_test

import (
	"os"
	"testing"

	"github.com/wasmc/wasmc/internal/runexe"
	"github.com/wasmc/wasmc/internal/targettest"
)

// TestNeedFollowsTable: whether a target's tests run is decided by the table and the host
// alone. A target that is not ready skips; a ready one runs, with its own ISA and a runner
// of its architecture, unless its emulator is missing, which skips outside CI and fails
// under CI=true (this test then fails too, as CI must).
func TestNeedFollowsTable(t *testing.T) {
	for _, tg := range targettest.Linux() {
		var x targettest.Exec
		var skipped bool
		t.Run(tg.Name, func(t *testing.T) {
			defer func() { skipped = t.Skipped() }()
			x = targettest.Need(t, tg)
		})
		_, runErr := runexe.For(tg.Arch.String())
		switch {
		case !tg.Ready() && !skipped:
			t.Errorf("%s is not ready, but its test ran", tg.Name)
		case tg.Ready() && runErr == nil && (skipped || x.ISA.Arch() != tg.Arch || x.Runner.GOARCH != tg.Arch.String()):
			t.Errorf("%s is ready and runnable here, but: skipped %v, %+v", tg.Name, skipped, x)
		case tg.Ready() && runErr != nil && os.Getenv("CI") != "true" && !skipped:
			t.Errorf("%s: %v, but its test ran", tg.Name, runErr)
		}
	}
}
