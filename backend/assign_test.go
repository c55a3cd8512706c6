package backend

import (
	"slices"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/ir"
	"github.com/wasmc/wasmc/regalloc"
)

// TestAssignAsApply assigns and applies one allocation, with many edits, to the same
// selected code: each instruction gets the registers Apply gives it, and the blocks
// threaded away are the same. An edit past the last instruction is an error, as in Apply.
func TestAssignAsApply(t *testing.T) {
	m, err := ir.Parse(liveValues(300))
	if err != nil {
		t.Fatal(err)
	}
	applied, assigned := toySelect(m.Funcs[0]), toySelect(m.Funcs[0])
	res, err := regalloc.Run(applied, toyRegs)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Edits) < 300 {
		t.Fatalf("%d edits: the case is meant to have many", len(res.Edits))
	}
	if err := applied.Apply(res, applied); err != nil {
		t.Fatal(err)
	}
	if err := assigned.Assign(res, assigned); err != nil {
		t.Fatal(err)
	}
	if len(applied.Blocks) != len(assigned.Blocks) {
		t.Errorf("%d blocks assigned, %d applied", len(assigned.Blocks), len(applied.Blocks))
	}
	// Apply's code holds the assigned instructions in order, among the edits, the
	// prologue and the epilogues, with the same registers.
	k := 0
	for _, in := range assigned.Insts {
		for k < len(applied.Insts) && (applied.Insts[k].name != in.name || !slices.Equal(applied.Insts[k].regs, in.regs)) {
			k++
		}
		if k == len(applied.Insts) {
			t.Fatalf("assigned %s %v is not in the applied code in order", in.name, in.regs)
		}
		k++
	}

	again := toySelect(m.Funcs[0])
	bad := *res
	bad.Edits = append(slices.Clip(res.Edits), regalloc.Edit{Before: len(again.Insts) + 1, From: res.Edits[0].From, To: res.Edits[0].To})
	if err := again.Assign(&bad, again); err == nil || !strings.Contains(err.Error(), "past the end") {
		t.Errorf("an edit past the end: error %v", err)
	}
}
