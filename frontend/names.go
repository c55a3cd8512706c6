package frontend

// The "name" custom section (WebAssembly 2.0, appendix "Custom Sections"): the module's
// name, function names and local names, each in its own subsection. Names serve traps and
// dumps only, so a malformed name section costs the names, never the module: the spec
// requires that custom sections not affect a module's meaning.

// Name subsection ids.
const (
	nameModule = 0
	nameFuncs  = 1
	nameLocals = 2
)

// parseNames decodes the contents of a name section (after its name), or returns nil when
// they are malformed: an encoding error, a subsection whose contents do not match its
// size, subsections repeated or out of order, or a name map whose indices do not strictly
// increase. Subsections other than the three above (later proposals add more) are skipped.
func parseNames(data []byte) *Names {
	r := reader{buf: data}
	n := &Names{}
	next := 0 // the lowest subsection id still allowed
	for !r.eof() && r.err == nil {
		id := r.byte()
		size := r.length()
		if r.err != nil || int(id) < next {
			return nil
		}
		next = int(id) + 1
		start := r.pos
		r.pos += size
		sub := reader{buf: data[start:r.pos]}
		switch id {
		case nameModule:
			n.Module = sub.utf8Name()
		case nameFuncs:
			n.Funcs = sub.nameMap()
		case nameLocals:
			n.Locals = sub.indirectNameMap()
		default:
			sub.pos = len(sub.buf)
		}
		if sub.err != nil || !sub.eof() {
			return nil
		}
	}
	if r.err != nil {
		return nil
	}
	return n
}

// nameMap reads a vector of (index, name) pairs with strictly increasing indices.
func (r *reader) nameMap() []NameAssoc {
	n, c := r.vecLen(2)
	m := makeVec[NameAssoc](c)
	for i := 0; i < n && r.err == nil; i++ {
		a := NameAssoc{Index: r.u32(), Name: r.utf8Name()}
		if i > 0 && a.Index <= m[i-1].Index && r.err == nil {
			r.failf("name map out of order")
		}
		m = append(m, a)
	}
	return m
}

// indirectNameMap reads a vector of (function index, name map) pairs with strictly
// increasing function indices.
func (r *reader) indirectNameMap() []IndirectNameMap {
	n, c := r.vecLen(2)
	m := makeVec[IndirectNameMap](c)
	for i := 0; i < n && r.err == nil; i++ {
		a := IndirectNameMap{Func: r.u32(), Names: r.nameMap()}
		if i > 0 && a.Func <= m[i-1].Func && r.err == nil {
			r.failf("name map out of order")
		}
		m = append(m, a)
	}
	return m
}

// appendNames encodes n as the contents of a name section after its name, omitting empty
// subsections.
func appendNames(b []byte, n *Names) []byte {
	var sub []byte
	flush := func(id byte) {
		b = append(b, id)
		b = AppendULEB(b, uint64(len(sub)))
		b = append(b, sub...)
		sub = sub[:0]
	}
	if n.Module != "" {
		sub = appendName(sub, n.Module)
		flush(nameModule)
	}
	if len(n.Funcs) > 0 {
		sub = appendNameMap(sub, n.Funcs)
		flush(nameFuncs)
	}
	if len(n.Locals) > 0 {
		sub = AppendULEB(sub, uint64(len(n.Locals)))
		for _, l := range n.Locals {
			sub = AppendULEB(sub, uint64(l.Func))
			sub = appendNameMap(sub, l.Names)
		}
		flush(nameLocals)
	}
	return b
}

func appendNameMap(b []byte, m []NameAssoc) []byte {
	b = AppendULEB(b, uint64(len(m)))
	for _, a := range m {
		b = AppendULEB(b, uint64(a.Index))
		b = appendName(b, a.Name)
	}
	return b
}
