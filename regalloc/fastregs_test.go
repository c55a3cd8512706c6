package regalloc

import (
	"reflect"
	"testing"
)

// TestFastRegsAgreeWithRegSet checks RunFast's register sets against RegSet, for every
// register and NoReg, and that the sets RunFast keeps in its state are not arrays: an
// array's words live in memory, and setting one then copying the set stalled the copy
// (issue 21). Before regs, fastAlloc's occupied, used and fixed were RegSets.
func TestFastRegsAgreeWithRegSet(t *testing.T) {
	for _, name := range []string{"occupied", "used", "fixed"} {
		f, ok := reflect.TypeOf(fastAlloc{}).FieldByName(name)
		if !ok {
			t.Fatalf("fastAlloc has no field %s", name)
		}
		if f.Type.Kind() == reflect.Array {
			t.Errorf("fastAlloc.%s is an array (%s): a set RunFast updates per operand must be held in registers", name, f.Type)
		}
	}
	many := regsOf(RegSetOf(0, 5, 63, 64, 100, 127))
	for r := PReg(0); r < MaxPRegs; r++ {
		s := regs{}.add(r)
		if s.set() != RegSetOf(r) {
			t.Fatalf("regs{}.add(%d) = %v, want %v", r, s.set(), RegSetOf(r))
		}
		if got := many.addReg(r); got != many.add(r) {
			t.Fatalf("addReg(%d) = %v, add gives %v", r, got.set(), many.add(r).set())
		}
		if !s.has(r) || s.empty() || s.first() != r || !s.remove(r).empty() {
			t.Fatalf("regs{%d}: has %v, empty %v, first %d, remove leaves %v", r, s.has(r), s.empty(), s.first(), s.remove(r).set())
		}
		if many.has(r) != many.set().Has(r) {
			t.Fatalf("has(%d) = %v, RegSet says %v", r, many.has(r), many.set().Has(r))
		}
		u := many.union(s)
		if u.set() != many.set().Union(RegSetOf(r)) || u.intersect(s) != s || u.remove(r).has(r) {
			t.Fatalf("union, intersect or remove with %d: %v", r, u.set())
		}
	}
	if many.has(NoReg) || (regs{}).add(NoReg) != (regs{}) || !many.remove(NoReg).union(regs{}).intersect(many).has(127) {
		t.Error("NoReg must be in no set, and adding or removing it must change none")
	}
	var got []PReg
	for s := many; !s.empty(); {
		r := s.first()
		s = s.remove(r)
		got = append(got, r)
	}
	if want := many.set().Regs(); !reflect.DeepEqual(got, want) {
		t.Errorf("first and remove list %v, want %v", got, want)
	}
}
