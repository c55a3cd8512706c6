package frontend

import (
	"slices"
	"testing"
)

// TestValidateFastMatchesInstr runs every instruction the fast path takes, with each
// immediate that matters (locals, globals and functions of several types, alignments) and on each of a set of operand stacks, through fast and
// through instr: where fast accepts, instr must accept and leave the same stack; where
// fast declines, it must have changed nothing.
func TestValidateFastMatchesInstr(t *testing.T) {
	m := &Module{
		Types: []FuncType{{}, {Params: []ValType{I32, I64}, Results: []ValType{F32}}, {Params: []ValType{F64}},
			{Results: []ValType{I32, I64}}},
		Funcs: []Func{{Type: 0}, {Type: 1}, {Type: 2}, {Type: 3}},
		Mems:  []MemType{{}},
		Globals: []Global{{Type: GlobalType{Type: I32, Mutable: true}}, {Type: GlobalType{Type: I64}},
			{Type: GlobalType{Type: F64, Mutable: true}}},
	}
	mv := newModuleValidator(m)
	code := &Code{Locals: []LocalDecl{{Count: 1, Type: I32}, {Count: 1, Type: I64}, {Count: 1, Type: F32},
		{Count: 1, Type: F64}}}
	stacks := [][]ValType{{}, {I32}, {I64}, {F32}, {F64}, {I32, I32}, {I64, I64}, {F32, F32}, {F64, F64},
		{I32, I64}, {I64, I32}, {I32, F32}, {I32, F64}, {I32, I32, I32}, {F64, I32, I64}}
	newValidator := func(stack []ValType, unreachable bool) *codeValidator {
		v := &codeValidator{mod: mv}
		if err := v.function(0, &Code{Locals: code.Locals, Body: []byte{0x0B}}, &m.Types[0]); err != nil {
			t.Fatal(err)
		}
		v.code = code
		v.pushCtrl(OpBlock, nil, nil)
		v.ctrls[len(v.ctrls)-1].unreachable = unreachable
		v.vals = append(v.vals, stack...)
		return v
	}
	checkShort(t, newValidator, stacks)
	fasts := 0
	for op := range 256 {
		if fastKinds[op] == fastNo {
			continue
		}
		for imm := range uint32(6) {
			in := Instr{Op: Opcode(op), Idx: imm, Align: imm}
			for _, stack := range stacks {
				for _, unreachable := range []bool{false, true} {
					fv, iv := newValidator(stack, unreachable), newValidator(stack, unreachable)
					fv.in, iv.in = in, in
					if !fv.fast(&fv.in) {
						if !slices.Equal(fv.vals, stack) {
							t.Fatalf("%s %d on %v: fast declined but left %v", in.Op, imm, stack, fv.vals)
						}
						continue
					}
					fasts++
					if err := iv.instr(&iv.in); err != nil || !slices.Equal(fv.vals, iv.vals) {
						t.Fatalf("%s %d on %v: fast leaves %v, instr %v, %v", in.Op, imm, stack, fv.vals, iv.vals, err)
					}
				}
			}
		}
	}
	if fasts == 0 {
		t.Fatal("fast accepted nothing")
	}
}

// checkShort runs bodies that start with each instruction the fast path takes, in each
// one-byte encoding and a few longer ones, on each stack, through short and through
// shortByFast, which reads each instruction with ReadInstr and checks it with fast: both
// must stop at the same instruction and leave the same stack.
func checkShort(t *testing.T, newValidator func([]ValType, bool) *codeValidator, stacks [][]ValType) {
	t.Helper()
	bytes := []byte{0, 1, 2, 3, 4, 5, 0x1F, 0x20, 0x3F, 0x40, 0x7F, 0x80, 0xFF}
	runs := 0
	for op := range 256 {
		if fastKinds[op] == fastNo {
			continue
		}
		for _, b1 := range bytes {
			for _, b2 := range bytes {
				if shortChecks[b1] && fastKinds[b1] == fastNo || shortChecks[b2] && fastKinds[b2] == fastNo {
					continue // a block, loop or end, which TestValidateShortMatches checks
				}
				body := []byte{byte(op), b1, b2, 0x01, 0x01, 0x0B}
				for _, stack := range stacks {
					for _, unreachable := range []bool{false, true} {
						sv, fv := newValidator(stack, unreachable), newValidator(stack, unreachable)
						got, want := sv.short(body, 0), shortByFast(fv, body)
						if got != want || !slices.Equal(sv.vals, fv.vals) {
							t.Fatalf("% x on %v: short stops at %d leaving %v; ReadInstr and fast at %d leaving %v",
								body, stack, got, sv.vals, want, fv.vals)
						}
						if got > 0 {
							runs++
						}
					}
				}
			}
		}
	}
	if runs == 0 {
		t.Fatal("short checked nothing")
	}
}

// shortByFast is what short does, instruction by instruction through ReadInstr and fast:
// it checks from the start of body for as long as each instruction is in a short form,
// with three bytes to read, and one fast takes.
func shortByFast(v *codeValidator, body []byte) int {
	pos := 0
	for len(body)-pos >= 3 {
		if fastKinds[body[pos]] == fastNo {
			return pos
		}
		var in Instr
		next, err := ReadInstr(body, pos, 0, &in)
		if err != nil || in.long || !v.fast(&in) {
			return pos
		}
		pos = next
	}
	return pos
}
