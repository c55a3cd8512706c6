package frontend

// The validator's fast path: the commonest instructions (numeric, constants, loads and
// stores, locals) in their valid forms, checked without instr's dispatch and without a
// call per operand. Anything else, including every instruction that is invalid, goes
// to instr unchanged, which reports its errors as before.

// fastKind says how fast checks a one-byte opcode; fastNo sends it to instr.
type fastKind uint8

const (
	fastNo        fastKind = iota
	fastFixed              // operand and result types from the table, no immediate to check
	fastMem                // the same, after a memory argument
	fastLocalGet           // local.get
	fastLocalSet           // local.set
	fastLocalTee           // local.tee
	fastGlobalGet          // global.get
	fastGlobalSet          // global.set
	fastCall               // call
)

// fastKinds is fastKind by one-byte opcode.
var fastKinds = func() (k [256]fastKind) {
	for op := range opsSingle {
		info := &opsSingle[op]
		if info.Name == "" || !info.Fixed {
			continue
		}
		switch info.Imm {
		case ImmNone, ImmI32, ImmI64, ImmF32, ImmF64:
			k[op] = fastFixed
		case ImmMemArg:
			k[op] = fastMem
		}
	}
	k[OpLocalGet], k[OpLocalSet], k[OpLocalTee] = fastLocalGet, fastLocalSet, fastLocalTee
	k[OpGlobalGet], k[OpGlobalSet], k[OpCall] = fastGlobalGet, fastGlobalSet, fastCall
	return k
}()

// fast checks in if it is one of the instructions fastKinds lists and valid, and
// reports whether it did; if not, it has changed nothing.
func (v *codeValidator) fast(in *Instr) bool {
	if in.Op >= 0x100 {
		return false
	}
	height := v.ctrls[len(v.ctrls)-1].height
	switch fastKinds[in.Op] {
	case fastMem:
		info := &opsSingle[in.Op]
		if uint64(in.Mem) >= uint64(len(v.mod.mems)) || in.Align > uint32(info.Align) {
			return false
		}
		fallthrough
	case fastFixed:
		info := &opsSingle[in.Op]
		return v.fastTypes(info.In, info.Out, height)
	case fastCall:
		if uint64(in.Idx) >= uint64(len(v.mod.funcs)) {
			return false
		}
		ft := &v.mod.m.Types[v.mod.funcs[in.Idx]]
		return v.fastTypes(ft.Params, ft.Results, height)
	case fastGlobalGet:
		if uint64(in.Idx) >= uint64(len(v.mod.globals)) {
			return false
		}
		v.vals = append(v.vals, v.mod.globals[in.Idx].Type)
		return true
	case fastGlobalSet:
		n := len(v.vals)
		if uint64(in.Idx) >= uint64(len(v.mod.globals)) || n <= height {
			return false
		}
		if g := &v.mod.globals[in.Idx]; !g.Mutable || v.vals[n-1] != g.Type {
			return false
		}
		v.vals = v.vals[:n-1]
		return true
	case fastLocalGet:
		// flat holds the locals' types unless there are too many, which instr handles.
		if uint64(in.Idx) >= uint64(len(v.flat)) {
			return false
		}
		v.vals = append(v.vals, v.flat[in.Idx])
		return true
	case fastLocalSet, fastLocalTee:
		n := len(v.vals)
		if uint64(in.Idx) >= uint64(len(v.flat)) || n <= height || v.vals[n-1] != v.flat[in.Idx] {
			return false
		}
		if in.Op == OpLocalSet {
			v.vals = v.vals[:n-1]
		}
		return true
	}
	return false
}

// fastTypes pops operands of types ins and pushes results of types outs, if the operands
// above height are exactly those; if not, it changes nothing and returns false.
func (v *codeValidator) fastTypes(ins, outs []ValType, height int) bool {
	n := len(v.vals) - len(ins)
	if n < height {
		return false
	}
	top := v.vals[n:]
	for i, t := range ins {
		if i >= len(top) || top[i] != t {
			return false
		}
	}
	v.vals = v.vals[:n]
	if len(outs) == 1 {
		v.vals = append(v.vals, outs[0])
	} else {
		v.vals = append(v.vals, outs...)
	}
	return true
}
