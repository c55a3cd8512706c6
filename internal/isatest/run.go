package isatest

import "testing"

// cases are the execution tests, each run as a subtest of [Harness.Run].
var cases = []struct {
	name string
	run  func(t *testing.T, h *Harness)
}{
	{"Loop", execLoop},
	{"Calls", execCalls},
	{"Memory", execMemory},
	{"Tables", execTables},
	{"IntOps", execIntOps},
	{"Div", execDiv},
	{"FloatOps", execFloatOps},
	{"Conversions", execConversions},
	{"Random", execRandom},
}

// Run runs every execution test for h's ISA.
func (h *Harness) Run(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, h) })
	}
}
