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

// checkShort runs every instruction the fast path takes, in each one-byte encoding and a
// few longer ones, on each stack, through short and through ReadInstr and fast: where
// short accepts, fast must accept what ReadInstr reads, to the same offset and stack;
// where short declines, it must have changed nothing.
func checkShort(t *testing.T, newValidator func([]ValType, bool) *codeValidator, stacks [][]ValType) {
	t.Helper()
	bytes := []byte{0, 1, 2, 3, 4, 5, 0x1F, 0x20, 0x3F, 0x40, 0x7F, 0x80, 0xFF}
	shorts := 0
	for op := range 256 {
		k := fastKinds[op]
		if k == fastNo {
			continue
		}
		for _, b1 := range bytes {
			for _, b2 := range bytes {
				body := []byte{byte(op), b1, b2, 0x01, 0x01, 0x0B}
				for _, stack := range stacks {
					for _, unreachable := range []bool{false, true} {
						sv, fv := newValidator(stack, unreachable), newValidator(stack, unreachable)
						next := sv.short(body, 0, k)
						if next == 0 {
							if !slices.Equal(sv.vals, stack) {
								t.Fatalf("% x on %v: short declined but left %v", body, stack, sv.vals)
							}
							continue
						}
						shorts++
						want, err := ReadInstr(body, 0, 0, &fv.in)
						if err != nil || want != next || !fv.fast(&fv.in) || !slices.Equal(sv.vals, fv.vals) {
							t.Fatalf("% x on %v: short reads to %d leaving %v; ReadInstr to %d (%v), fast leaves %v",
								body, stack, next, sv.vals, want, err, fv.vals)
						}
					}
				}
			}
		}
	}
	if shorts == 0 {
		t.Fatal("short accepted nothing")
	}
}
