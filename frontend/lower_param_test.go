package frontend_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// TestTrivialJoinParams builds, again and again, a body of 1,000 pairs of nested joins
// whose regions write local 0 only on a path that returns, and which read local 0 after
// them, and bounds the bytes a build allocates per pair (issue 21): SSA construction gives
// both joins a parameter for the local and finds it trivial, and the parameter now enters
// the block's list only if it stays (ir.Builder.PendingParam). Before, each was added,
// which took a list of two slots, and removed: 431 bytes a pair, 415 now (bound 422).
func TestTrivialJoinParams(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the pool is per processor
	const n = 1000
	var b strings.Builder
	b.WriteString("(module (func (param i32 i32) (result i32)\n")
	b.WriteString(strings.Repeat(`block
  local.get 1
  br_if 0
  block
    local.get 1
    br_if 0
    i32.const 5
    local.set 0
    i32.const 0
    return
  end
end
local.get 0
drop
`, n))
	b.WriteString("local.get 0))\n")
	f := lazyFunc(t, "joins.wat", b.String())
	perPair, _ := allocatedPerBuild(t, f, func(*ir.Func) int { return n })
	t.Logf("%d bytes allocated a pair of joins", perPair)
	if perPair > 422 {
		t.Errorf("a build allocated %d bytes a pair of joins, more than 422", perPair)
	}
}
