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

// shortChecks marks the one-byte opcodes that short may take: fast's, end, block and
// loop.
var shortChecks = func() (k [256]bool) {
	for op := range k {
		k[op] = fastKinds[op] != fastNo
	}
	k[OpEnd], k[OpBlock], k[OpLoop] = true, true, true
	return k
}()

// fast checks in if it is one of the instructions fastKinds lists and valid, and
// reports whether it did; if not, it has changed nothing.
func (v *codeValidator) fast(in *Instr) bool {
	if in.Op >= 0x100 {
		return false
	}
	height := v.ctrls[len(v.ctrls)-1].height
	switch k := fastKinds[in.Op]; k {
	case fastMem:
		return v.fastMem(byte(in.Op), in.Mem, in.Align, height)
	case fastFixed:
		info := &opsSingle[in.Op]
		return v.fastTypes(info.In, info.Out, height)
	case fastCall:
		if uint64(in.Idx) >= uint64(len(v.mod.funcs)) {
			return false
		}
		ft := &v.mod.m.Types[v.mod.funcs[in.Idx]]
		return v.fastTypes(ft.Params, ft.Results, height)
	case fastNo:
		return false
	default:
		return v.fastVar(k, in.Idx, height)
	}
}

// fastMem is fast for a load or store op with a memory argument of memory mem and
// alignment align.
func (v *codeValidator) fastMem(op byte, mem, align uint32, height int) bool {
	info := &opsSingle[op]
	if uint64(mem) >= uint64(len(v.mod.mems)) || align > uint32(info.Align) {
		return false
	}
	return v.fastTypes(info.In, info.Out, height)
}

// fastVar is fast for an access of local or global x, of kind k.
func (v *codeValidator) fastVar(k fastKind, x uint32, height int) bool {
	switch k {
	case fastGlobalGet:
		if uint64(x) >= uint64(len(v.mod.globals)) {
			return false
		}
		v.vals = append(v.vals, v.mod.globals[x].Type)
		return true
	case fastGlobalSet:
		n := len(v.vals)
		if uint64(x) >= uint64(len(v.mod.globals)) || n <= height {
			return false
		}
		if g := &v.mod.globals[x]; !g.Mutable || v.vals[n-1] != g.Type {
			return false
		}
		v.vals = v.vals[:n-1]
		return true
	}
	return v.fastLocal(k, x, height)
}

// fastLocal is fast for local.get, local.set or local.tee (k) of local x: small enough
// to inline into short, where locals' accesses are half of what it checks.
func (v *codeValidator) fastLocal(k fastKind, x uint32, height int) bool {
	// flat holds the locals' types unless there are too many, which instr handles.
	if uint64(x) >= uint64(len(v.flat)) {
		return false
	}
	if t, n := v.flat[x], len(v.vals); k == fastLocalGet {
		v.vals = append(v.vals, t)
	} else if n <= height || v.vals[n-1] != t {
		return false
	} else if k == fastLocalSet {
		v.vals = v.vals[:n-1]
	}
	return true
}

// short is fast for the instructions from body[pos:] on, for as long as each is one
// that fast takes in a short form (instr_short.go), read from its bytes as ReadInstr
// reads them but without an Instr: reading each into one was a third of checking them
// (issue 21). It returns the offset of the first it did not check, which it left as it
// was. A short form's memory argument is of memory 0. It also takes the commonest forms
// of end, block and loop, after which the operand stack's floor is the new innermost
// block's; and it stops after the end that closes the function.
func (v *codeValidator) short(body []byte, pos int) int {
	height := v.ctrls[len(v.ctrls)-1].height
	for pos >= 0 && len(body)-pos >= 3 {
		b := body[pos : pos+3 : pos+3]
		next := pos + 2
		switch k := fastKinds[b[0]]; k {
		case fastFixed:
			switch shortKinds[b[0]] {
			case shortNone:
				next = pos + 1
			case shortConst:
				if b[1] >= 0x80 {
					if _, next = shortSleb(body, pos+1, shortConstBytes[b[0]&1]); next == 0 {
						return pos
					}
				}
			default:
				return pos
			}
			if info := &opsSingle[b[0]]; !v.fastTypes(info.In, info.Out, height) {
				return pos
			}
		case fastMem:
			next = pos + 3
			if b[1] >= 32 {
				return pos
			}
			if b[2] >= 0x80 {
				if _, next = shortUleb(body, pos+2, 4); next == 0 {
					return pos
				}
			}
			// fastMem for memory 0, inlined.
			info := &opsSingle[b[0]]
			if len(v.mod.mems) == 0 || b[1] > info.Align || !v.fastTypes(info.In, info.Out, height) {
				return pos
			}
		case fastCall:
			x := uint32(b[1])
			if b[1] >= 0x80 {
				u, n := shortUleb(body, pos+1, 4)
				if n == 0 {
					return pos
				}
				x, next = uint32(u), n
			}
			if uint64(x) >= uint64(len(v.mod.funcs)) {
				return pos
			}
			if ft := &v.mod.m.Types[v.mod.funcs[x]]; !v.fastTypes(ft.Params, ft.Results, height) {
				return pos
			}
		case fastNo:
			switch Opcode(b[0]) {
			case OpEnd:
				// instr's end of a block that is no if without an else, when the results
				// are exactly what is above its floor: popCtrl and pushAll would leave
				// them where they are.
				f := &v.ctrls[len(v.ctrls)-1]
				n := len(v.vals) - len(f.end)
				if f.op == OpIf || f.unreachable || n != height {
					return pos
				}
				for i, t := range f.end {
					if v.vals[n+i] != t {
						return pos
					}
				}
				v.ctrls = v.ctrls[:len(v.ctrls)-1]
				if pos++; len(v.ctrls) == 0 {
					return pos
				}
				height = v.ctrls[len(v.ctrls)-1].height
				continue
			case OpBlock, OpLoop:
				// instr's block or loop of a block type without parameters (blockType).
				if b[1] >= 0x80 || !shortBlockTypes[b[1]] {
					return pos
				}
				var end []ValType
				if bt := int64(int8(b[1]<<1) >> 1); bt != BlockEmpty {
					t, ok := BlockValType(bt)
					if !ok {
						return pos
					}
					end = single(t)
				}
				v.pushCtrl(Opcode(b[0]), nil, end)
				height = len(v.vals)
			default:
				return pos
			}
		default:
			x := uint32(b[1])
			if b[1] >= 0x80 {
				u, n := shortUleb(body, pos+1, 4)
				if n == 0 {
					return pos
				}
				x, next = uint32(u), n
			}
			if k >= fastLocalGet && k <= fastLocalTee {
				if !v.fastLocal(k, x, height) {
					return pos
				}
			} else if !v.fastVar(k, x, height) {
				return pos
			}
		}
		pos = next
	}
	return pos
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
