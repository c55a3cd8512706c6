package frontend

// The memory, table and bulk-memory instructions of function bodies.

import "fmt"

// memArg checks a load's or store's memory and alignment.
func (v *codeValidator) memArg(in *Instr, info *OpInfo) error {
	if err := v.memory(in.Mem); err != nil {
		return err
	}
	if in.Align > uint32(info.Align) {
		return v.errorf("alignment must not be larger than natural: 2^%d > %d bytes of %s",
			in.Align, 1<<info.Align, in.Op)
	}
	return nil
}

// memory checks that memory x exists.
func (v *codeValidator) memory(x uint32) error {
	if uint64(x) >= uint64(len(v.mod.mems)) {
		return v.errorf("unknown memory %d", x)
	}
	return nil
}

// table returns the element type of table x.
func (v *codeValidator) table(x uint32) (ValType, error) {
	if uint64(x) >= uint64(len(v.mod.tables)) {
		return 0, v.errorf("unknown table %d", x)
	}
	return v.mod.tables[x], nil
}

// elem returns the element type of element segment x.
func (v *codeValidator) elem(x uint32) (ValType, error) {
	if uint64(x) >= uint64(len(v.mod.m.Elems)) {
		return 0, v.errorf("unknown elem segment %d", x)
	}
	return v.mod.m.Elems[x].Type, nil
}

// data checks data segment x. A binary that uses memory.init or data.drop must also
// declare the count of data segments before the code (the data count section), so that a
// one-pass compiler can check the index before it has seen the data section; Decode
// rejects the binary without it, as the spec classes that as malformed. The text format
// has no such section, so here the segments themselves are the reference, and the count,
// when present, must agree with them.
func (v *codeValidator) data(x uint32) error {
	m := v.mod.m
	if uint64(x) >= uint64(len(m.Datas)) || (m.DataCount != nil && x >= *m.DataCount) {
		return v.errorf("unknown data segment %d", x)
	}
	return nil
}

// popI32s pops n i32 operands, the common shape of the bulk memory and table operations.
func (v *codeValidator) popI32s(n int) error {
	for range n {
		if err := v.popWant(I32); err != nil {
			return err
		}
	}
	return nil
}

// memOrTableOp checks the memory, table and bulk-memory instructions that are not in the
// opcode table's fixed form. Immediates are checked before operands, as the reference
// interpreter does.
func (v *codeValidator) memOrTableOp(in *Instr) error {
	switch in.Op {
	case OpMemorySize:
		if err := v.memory(in.Idx); err != nil {
			return err
		}
		v.push(I32)
	case OpMemoryGrow:
		if err := v.memory(in.Idx); err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		v.push(I32)
	case OpMemoryFill:
		if err := v.memory(in.Idx); err != nil {
			return err
		}
		return v.popI32s(3)
	case OpMemoryCopy:
		if err := v.memory(in.Idx); err != nil {
			return err
		}
		if err := v.memory(in.Idx2); err != nil {
			return err
		}
		return v.popI32s(3)
	case OpMemoryInit:
		if err := v.memory(in.Idx2); err != nil {
			return err
		}
		if err := v.data(in.Idx); err != nil {
			return err
		}
		return v.popI32s(3)
	case OpDataDrop:
		return v.data(in.Idx)
	case OpTableGet:
		t, err := v.table(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		v.push(t)
	case OpTableSet:
		t, err := v.table(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popWant(t); err != nil {
			return err
		}
		return v.popWant(I32)
	case OpTableSize:
		if _, err := v.table(in.Idx); err != nil {
			return err
		}
		v.push(I32)
	case OpTableGrow:
		t, err := v.table(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		if err := v.popWant(t); err != nil {
			return err
		}
		v.push(I32)
	case OpTableFill:
		t, err := v.table(in.Idx)
		if err != nil {
			return err
		}
		if err := v.popWant(I32); err != nil {
			return err
		}
		if err := v.popWant(t); err != nil {
			return err
		}
		return v.popWant(I32)
	case OpTableCopy:
		dst, err := v.table(in.Idx)
		if err != nil {
			return err
		}
		src, err := v.table(in.Idx2)
		if err != nil {
			return err
		}
		if dst != src {
			return v.errorf("type mismatch: table.copy from a table of %s to a table of %s", src, dst)
		}
		return v.popI32s(3)
	case OpTableInit:
		t, err := v.table(in.Idx2)
		if err != nil {
			return err
		}
		et, err := v.elem(in.Idx)
		if err != nil {
			return err
		}
		if t != et {
			return v.errorf("type mismatch: table.init of a %s segment into a table of %s", et, t)
		}
		return v.popI32s(3)
	case OpElemDrop:
		_, err := v.elem(in.Idx)
		return err
	default:
		// Every opcode the table knows is either fixed or handled above.
		panic(fmt.Sprintf("frontend: validator does not handle %s", in.Op))
	}
	return nil
}
