package frontend

// constExpr checks a constant expression (a global's initializer, a segment's offset or
// element) that must produce one value of type want.
//
// WebAssembly 2.0 allows t.const, v128.const, ref.null, ref.func and global.get of an
// immutable imported global; defined globals are not yet visible (the context C′ of the
// spec's module rule), so naming one reports "unknown global". As in the reference
// interpreter, all instructions are first checked to be constant and only then typed,
// so "constant expression required" wins over "type mismatch".
//
// Errors name the expression's Offset: ConstExpr keeps no map from its bytes to source
// positions, so a finer offset would be wrong for modules parsed from text.
func (v *moduleValidator) constExpr(e *ConstExpr, want ValType) error {
	var in Instr
	end := -1 // offset of the final end
	for pos := 0; pos < len(e.Code); {
		next, err := ReadInstr(e.Code, pos, 0, &in)
		if err != nil {
			return errorf(e.Offset, "%s", decodeMsg(err))
		}
		switch in.Op {
		case OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpV128Const, OpRefNull, OpRefFunc:
		case OpGlobalGet:
			if uint64(in.Idx) >= uint64(v.importedGlobals) {
				return errorf(e.Offset, "unknown global %d", in.Idx)
			}
			if v.globals[in.Idx].Mutable {
				return errorf(e.Offset, "constant expression required: global %d is mutable", in.Idx)
			}
		case OpEnd:
			end = pos
		default:
			return errorf(e.Offset, "constant expression required: %s is not constant", in.Op)
		}
		pos = next
		if end >= 0 {
			if pos != len(e.Code) {
				return errorf(e.Offset, "constant expression required: instructions after end")
			}
			break
		}
	}
	if end < 0 {
		return errorf(e.Offset, "constant expression required: missing end")
	}

	// Every constant instruction pushes one value, so the expression is well typed when
	// it holds exactly one instruction before its end, of the wanted type.
	var got ValType
	n := 0
	for pos := 0; pos < end; n++ {
		next, _ := ReadInstr(e.Code, pos, 0, &in) // read without error above
		switch in.Op {
		case OpI32Const:
			got = I32
		case OpI64Const:
			got = I64
		case OpF32Const:
			got = F32
		case OpF64Const:
			got = F64
		case OpV128Const:
			got = V128
		case OpRefNull:
			got = in.RefType
		case OpRefFunc:
			if uint64(in.Idx) >= uint64(len(v.funcs)) {
				return errorf(e.Offset, "unknown function %d", in.Idx)
			}
			if !v.refs[in.Idx] {
				return errorf(e.Offset, "undeclared function reference %d", in.Idx)
			}
			got = FuncRef
		case OpGlobalGet:
			got = v.globals[in.Idx].Type
		}
		pos = next
	}
	switch {
	case n == 0:
		return errorf(e.Offset, "type mismatch: constant expression is empty, expected %s", want)
	case n > 1:
		return errorf(e.Offset, "type mismatch: constant expression leaves %d values, expected one %s", n, want)
	case got != want:
		return errorf(e.Offset, "type mismatch: constant expression has type %s, expected %s", got, want)
	}
	return nil
}

// decodeMsg returns the message of a decoding error without its position, which the
// caller reports in its own terms.
func decodeMsg(err error) string {
	if de, ok := err.(*DecodeError); ok {
		return de.Err.Error()
	}
	return err.Error()
}
