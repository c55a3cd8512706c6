package wat

import (
	"unicode/utf8"

	"github.com/wasmc/wasmc/frontend"
)

// ParseModule parses a text module: either one "(module $id? field*)" form or a bare
// sequence of module fields, as .wat files and (module quote ...) texts hold. Offsets in
// the result are byte offsets into src. Errors are *SyntaxError.
func ParseModule(filename string, src []byte) (*frontend.Module, error) {
	s := newSource(filename, src)
	nodes, broken := s.readTree()
	var m *frontend.Module
	if len(nodes) == 1 && s.head(nodes[0]) == "module" {
		m = parseModuleNode(s, nodes[0])
	} else {
		m = newModuleParser(s).parse("", nodes)
	}
	if err := firstError(s.err, broken); err != nil {
		return nil, err
	}
	return m, nil
}

// parseModuleNode parses "(module $id? field*)".
func parseModuleNode(s *source, n *node) *frontend.Module {
	c := elems(n, 1)
	id, _ := s.optID(c)
	p := newModuleParser(s)
	return p.parse(id, c.rest())
}

// moduleFields are the keywords that open module fields.
var moduleFields = map[string]bool{
	"type": true, "import": true, "func": true, "table": true, "memory": true, "global": true,
	"export": true, "start": true, "elem": true, "data": true,
}

// space names an index space of a module.
type space byte

const (
	spaceType space = iota
	spaceFunc
	spaceTable
	spaceMem
	spaceGlobal
	spaceElem
	spaceData
	numSpaces
)

var spaceNames = [numSpaces]string{"type", "func", "table", "memory", "global", "elem", "data"}

// spaceWords name the index spaces in "unknown ..." messages, as the reference
// interpreter does.
var spaceWords = [numSpaces]string{"type", "function", "table", "memory", "global", "elem segment", "data segment"}

// externSpace maps import and export kinds to their index space.
var externSpace = map[string]space{"func": spaceFunc, "table": spaceTable, "memory": spaceMem, "global": spaceGlobal}

var spaceExtern = [numSpaces]frontend.ExternKind{
	spaceFunc: frontend.ExternFunc, spaceTable: frontend.ExternTable,
	spaceMem: frontend.ExternMemory, spaceGlobal: frontend.ExternGlobal,
}

// moduleParser parses the fields of one module in two passes (see the package doc).
type moduleParser struct {
	*source
	m     *frontend.Module
	ids   [numSpaces]map[string]uint32
	count [numSpaces]uint32
	// firstDef is the kind of the first function, table, memory or global definition;
	// an import after it is malformed (spec: imports precede definitions).
	firstDef string
	names    frontend.Names
	hasNames bool
	usesData bool // memory.init or data.drop: the binary needs a data count section
}

func newModuleParser(s *source) *moduleParser {
	p := &moduleParser{source: s, m: &frontend.Module{}}
	for i := range p.ids {
		p.ids[i] = map[string]uint32{}
	}
	return p
}

// parse builds the module from its fields.
func (p *moduleParser) parse(id string, fields []*node) *frontend.Module {
	if id != "" {
		p.names.Module, p.hasNames = id[1:], true
	}
	for _, f := range fields {
		if p.err != nil {
			return nil
		}
		p.declare(f)
	}
	p.count = [numSpaces]uint32{}
	for _, f := range fields {
		if p.err != nil {
			return nil
		}
		p.define(f)
	}
	if p.err != nil {
		return nil
	}
	if p.usesData {
		n := uint32(len(p.m.Datas))
		p.m.DataCount = &n
	}
	if p.hasNames {
		p.m.Names = &p.names
	}
	return p.m
}

// bind gives the next index of sp to an item and records its identifier. The first pass
// binds identifiers; the second only counts, so both agree on every index.
func (p *moduleParser) bind(sp space, id string, idNode *node, first bool) uint32 {
	idx := p.count[sp]
	p.count[sp]++
	if first && idNode != nil {
		if _, dup := p.ids[sp][id]; dup {
			p.failAt(idNode, "duplicate %s %s", spaceNames[sp], id)
		}
		p.ids[sp][id] = idx
	}
	return idx
}

// index consumes an index into sp: a number, or an identifier that must be bound.
func (p *moduleParser) index(c *cursor, sp space) uint32 {
	n := c.peek()
	if n != nil && n.tok.kind == tokID {
		c.next()
		idx, ok := p.ids[sp][p.tokText(n)]
		if !ok {
			p.failAt(n, "unknown %s %s", spaceWords[sp], p.tokText(n))
		}
		return idx
	}
	return p.u32(c, spaceNames[sp]+" index")
}

// isIndex reports whether n can start an index.
func isIndex(n *node) bool { return n != nil && (n.tok.kind == tokID || n.tok.kind == tokAtom) }

// fieldHead checks that f is a "(keyword ...)" field and returns the keyword.
func (p *moduleParser) fieldHead(f *node) string {
	h := p.head(f)
	if h == "" {
		p.unexpected(f)
	}
	return h
}

// inlineImport returns the "(import "m" "n")" abbreviation among the leading elements of
// a func, table, memory or global field, after its id and inline exports.
func (p *moduleParser) inlineImport(c *cursor) *node {
	for i := c.i; i < len(c.nodes); i++ {
		switch p.head(c.nodes[i]) {
		case "export":
			continue
		case "import":
			return c.nodes[i]
		}
		break
	}
	return nil
}

// declare is the first pass over one field: it binds the field's identifier and index
// and rejects imports after definitions.
func (p *moduleParser) declare(f *node) {
	h := p.fieldHead(f)
	c := elems(f, 1)
	id, idNode := p.optID(c)
	switch h {
	case "type":
		ft := p.funcTypeDef(f)
		p.bind(spaceType, id, idNode, true)
		p.m.Types = append(p.m.Types, ft)
	case "import":
		p.str(c, "module name")
		p.str(c, "import name")
		d := c.next()
		sp, ok := externSpace[p.head(d)]
		if !ok {
			p.expected(c, d, "import description")
			return
		}
		p.checkImportOrder(f)
		dc := elems(d, 1)
		id, idNode := p.optID(dc)
		p.bind(sp, id, idNode, true)
	case "func", "table", "memory", "global":
		sp := externSpace[h]
		if p.inlineImport(c) != nil {
			p.checkImportOrder(f)
		} else if p.firstDef == "" {
			p.firstDef = h
			if h == "func" {
				p.firstDef = "function" // the spec's wording: "import after function"
			}
		}
		p.bind(sp, id, idNode, true)
		p.declareInlineSegment(h, c)
	case "elem":
		p.bind(spaceElem, id, idNode, true)
	case "data":
		p.bind(spaceData, id, idNode, true)
	case "export", "start":
	default:
		p.unexpected(f)
	}
}

// declareInlineSegment counts the element or data segment that a table's "(elem ...)"
// or a memory's "(data ...)" abbreviation defines, which takes the next segment index.
func (p *moduleParser) declareInlineSegment(h string, c *cursor) {
	for _, n := range c.rest() {
		if h == "table" && p.head(n) == "elem" {
			p.bind(spaceElem, "", nil, true)
		}
		if h == "memory" && p.head(n) == "data" {
			p.bind(spaceData, "", nil, true)
		}
	}
}

func (p *moduleParser) checkImportOrder(f *node) {
	if p.firstDef != "" {
		p.failAt(f, "import after %s", p.firstDef)
	}
}

// define is the second pass over one field: it parses the field and appends what it
// defines to the module.
func (p *moduleParser) define(f *node) {
	h := p.head(f)
	c := elems(f, 1)
	switch h {
	case "type":
		p.count[spaceType]++
	case "import":
		p.importField(f, c)
	case "func":
		p.funcField(f, c)
	case "table":
		p.tableField(f, c)
	case "memory":
		p.memoryField(f, c)
	case "global":
		p.globalField(f, c)
	case "export":
		p.exportField(f, c)
	case "start":
		if p.m.Start != nil {
			p.failAt(f, "multiple start sections")
			return
		}
		p.m.Start = &frontend.Start{Func: p.index(c, spaceFunc), Offset: int64(f.tok.pos)}
		p.expectEnd(c)
	case "elem":
		p.elemField(f, c)
	case "data":
		p.dataField(f, c)
	}
}

// name consumes a string that must be a valid UTF-8 name (import and export names).
func (p *moduleParser) name(c *cursor, what string) string {
	n := c.peek()
	b := p.str(c, what)
	if p.err == nil && !utf8.Valid(b) {
		p.failAt(n, "malformed UTF-8 encoding in %s", what)
	}
	return string(b)
}

// importField parses "(import "mod" "name" desc)".
func (p *moduleParser) importField(f *node, c *cursor) {
	mod := p.name(c, "module name")
	nm := p.name(c, "import name")
	d := c.next()
	p.expectEnd(c)
	if p.err != nil {
		return
	}
	dc := elems(d, 1)
	id, _ := p.optID(dc)
	p.importDesc(f, externSpace[p.head(d)], id, mod, nm, dc)
	p.expectEnd(dc)
}

// importDesc parses what follows the id in an import description or in a field with an
// inline import, and appends the import.
func (p *moduleParser) importDesc(f *node, sp space, id, mod, nm string, c *cursor) {
	im := frontend.Import{Module: mod, Name: nm, Kind: spaceExtern[sp], Offset: int64(f.tok.pos)}
	idx := p.bind(sp, "", nil, false)
	switch sp {
	case spaceFunc:
		s := p.typeUse(c, true, f.tok.pos)
		im.Type = s.idx
		p.nameFunc(idx, id)
		var locals []frontend.NameAssoc
		for i, name := range s.names {
			if name != "" {
				locals = append(locals, frontend.NameAssoc{Index: uint32(i), Name: name[1:]})
			}
		}
		p.nameLocals(idx, locals)
	case spaceTable:
		im.Table = p.tableType(c, f.tok.pos)
	case spaceMem:
		im.Mem = frontend.MemType{Limits: p.limits(c), Offset: int64(f.tok.pos)}
	case spaceGlobal:
		im.Global = p.globalType(c)
	}
	p.m.Imports = append(p.m.Imports, im)
}

// nameFunc records a function's identifier for the name section.
func (p *moduleParser) nameFunc(idx uint32, id string) {
	if id != "" {
		p.names.Funcs = append(p.names.Funcs, frontend.NameAssoc{Index: idx, Name: id[1:]})
		p.hasNames = true
	}
}

// nameLocals records the parameter and local identifiers of function idx.
func (p *moduleParser) nameLocals(idx uint32, names []frontend.NameAssoc) {
	if len(names) > 0 {
		p.names.Locals = append(p.names.Locals, frontend.IndirectNameMap{Func: idx, Names: names})
		p.hasNames = true
	}
}

// inlineExports consumes the "(export "name")" abbreviations of a field and exports
// index idx of sp under each name.
func (p *moduleParser) inlineExports(c *cursor, sp space, idx uint32) {
	for n := c.peek(); p.head(n) == "export" && p.err == nil; n = c.peek() {
		c.next()
		ec := elems(n, 1)
		nm := p.name(ec, "export name")
		p.expectEnd(ec)
		p.m.Exports = append(p.m.Exports, frontend.Export{Name: nm, Kind: spaceExtern[sp], Index: idx, Offset: int64(n.tok.pos)})
	}
}

// fieldImport handles the head shared by func, table, memory and global fields: the id,
// the inline exports and an inline import. It returns the item's index, its id, and
// whether it was an import (which the caller then has nothing left to parse for).
func (p *moduleParser) fieldImport(f *node, c *cursor, sp space) (idx uint32, id string, imported bool) {
	id, _ = p.optID(c)
	idx = p.count[sp]
	p.inlineExports(c, sp, idx)
	if n := c.peek(); p.head(n) == "import" {
		c.next()
		ic := elems(n, 1)
		mod := p.name(ic, "module name")
		nm := p.name(ic, "import name")
		p.expectEnd(ic)
		if p.err == nil {
			p.importDesc(f, sp, id, mod, nm, c)
			p.expectEnd(c)
		}
		return idx, id, true
	}
	p.bind(sp, "", nil, false)
	return idx, id, false
}

// exportField parses "(export "name" (kind idx))".
func (p *moduleParser) exportField(f *node, c *cursor) {
	nm := p.name(c, "export name")
	d := c.next()
	sp, ok := externSpace[p.head(d)]
	if !ok {
		p.expected(c, d, "export description")
		return
	}
	p.expectEnd(c)
	dc := elems(d, 1)
	idx := p.index(dc, sp)
	p.expectEnd(dc)
	p.m.Exports = append(p.m.Exports, frontend.Export{Name: nm, Kind: spaceExtern[sp], Index: idx, Offset: int64(f.tok.pos)})
}
