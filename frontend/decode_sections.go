package frontend

// The declaration sections: type, import, function, table, memory, global and export.
// Each reads a vector whose elements take at least the bytes named in its vecLen call;
// items are appended as they decode, so a count the section cannot back never allocates.

func (d *decoder) typeSection(r *reader) {
	n, c := r.vecLen(3) // 0x60, no params, no results
	d.m.Types = makeVec[FuncType](c)
	for i := 0; i < n && r.err == nil; i++ {
		ft := FuncType{Offset: r.offset()}
		if b := r.byte(); b != 0x60 && r.err == nil {
			// The reference interpreter reads type constructors as LEB128 (0x60 is -0x20),
			// so the suite calls a continuation bit here an overlong integer.
			r.pos--
			if b&0x80 != 0 {
				r.fail(ErrIntTooLong)
			} else {
				r.failf("malformed function type")
			}
		}
		ft.Params = r.valTypes()
		ft.Results = r.valTypes()
		d.m.Types = append(d.m.Types, ft)
	}
}

// valTypes reads a result type: a vector of value types.
func (r *reader) valTypes() []ValType {
	n, c := r.vecLen(1)
	ts := makeVec[ValType](c)
	for i := 0; i < n && r.err == nil; i++ {
		ts = append(ts, r.valType())
	}
	return ts
}

func (d *decoder) importSection(r *reader) {
	n, c := r.vecLen(4) // two empty names, kind, a one-byte descriptor
	d.m.Imports = makeVec[Import](c)
	for i := 0; i < n && r.err == nil; i++ {
		im := Import{Offset: r.offset()}
		im.Module = r.utf8Name()
		im.Name = r.utf8Name()
		at := r.pos
		im.Kind = ExternKind(r.byte())
		switch im.Kind {
		case ExternFunc:
			im.Type = r.u32()
		case ExternTable:
			im.Table = r.tableType()
		case ExternMemory:
			im.Mem = r.memType()
		case ExternGlobal:
			im.Global = r.globalType()
		default:
			if r.err == nil {
				r.pos = at
				r.failf("malformed import kind")
			}
		}
		d.m.Imports = append(d.m.Imports, im)
	}
}

func (d *decoder) functionSection(r *reader) {
	n, c := r.vecLen(1)
	d.m.Funcs = makeVec[Func](c)
	for i := 0; i < n && r.err == nil; i++ {
		f := Func{Offset: r.offset()}
		f.Type = r.u32()
		d.m.Funcs = append(d.m.Funcs, f)
	}
}

func (d *decoder) tableSection(r *reader) {
	n, c := r.vecLen(3) // reftype, flags, min
	d.m.Tables = makeVec[TableType](c)
	for i := 0; i < n && r.err == nil; i++ {
		d.m.Tables = append(d.m.Tables, r.tableType())
	}
}

func (d *decoder) memorySection(r *reader) {
	n, c := r.vecLen(2) // flags, min
	d.m.Mems = makeVec[MemType](c)
	for i := 0; i < n && r.err == nil; i++ {
		d.m.Mems = append(d.m.Mems, r.memType())
	}
}

func (d *decoder) globalSection(r *reader) {
	n, c := r.vecLen(3) // type, mutability, end
	d.m.Globals = makeVec[Global](c)
	for i := 0; i < n && r.err == nil; i++ {
		g := Global{Offset: r.offset()}
		g.Type = r.globalType()
		g.Init = d.constExpr(r)
		d.m.Globals = append(d.m.Globals, g)
	}
}

func (d *decoder) exportSection(r *reader) {
	n, c := r.vecLen(3) // empty name, kind, index
	d.m.Exports = makeVec[Export](c)
	for i := 0; i < n && r.err == nil; i++ {
		e := Export{Offset: r.offset()}
		e.Name = r.utf8Name()
		at := r.pos
		e.Kind = ExternKind(r.byte())
		if e.Kind > ExternGlobal && r.err == nil {
			r.pos = at
			r.failf("malformed export kind")
		}
		e.Index = r.u32()
		d.m.Exports = append(d.m.Exports, e)
	}
}
