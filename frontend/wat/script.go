package wat

import (
	"errors"

	"github.com/wasmc/wasmc/frontend"
)

// Script is a parsed .wast file: the commands of the spec test suite in order.
type Script struct {
	File     string
	Src      []byte
	Commands []Command
}

// CommandKind says what a script command does.
type CommandKind byte

// Script commands.
const (
	CmdModule CommandKind = iota + 1
	CmdRegister
	CmdAction // a bare invoke or get
	CmdAssertReturn
	CmdAssertTrap
	CmdAssertExhaustion
	CmdAssertMalformed
	CmdAssertInvalid
	CmdAssertUnlinkable
	CmdAssertUninstantiable
)

var commandNames = map[string]CommandKind{
	"module": CmdModule, "register": CmdRegister, "invoke": CmdAction, "get": CmdAction,
	"assert_return": CmdAssertReturn, "assert_trap": CmdAssertTrap,
	"assert_exhaustion": CmdAssertExhaustion, "assert_malformed": CmdAssertMalformed,
	"assert_invalid": CmdAssertInvalid, "assert_unlinkable": CmdAssertUnlinkable,
	"assert_uninstantiable": CmdAssertUninstantiable,
}

var commandKindNames = [...]string{
	CmdModule: "module", CmdRegister: "register", CmdAction: "action", CmdAssertReturn: "assert_return",
	CmdAssertTrap: "assert_trap", CmdAssertExhaustion: "assert_exhaustion",
	CmdAssertMalformed: "assert_malformed", CmdAssertInvalid: "assert_invalid",
	CmdAssertUnlinkable: "assert_unlinkable", CmdAssertUninstantiable: "assert_uninstantiable",
}

func (k CommandKind) String() string {
	if int(k) < len(commandKindNames) && commandKindNames[k] != "" {
		return commandKindNames[k]
	}
	return "command?"
}

// Command is one script command. Which fields are set depends on Kind.
type Command struct {
	Kind      CommandKind
	Line, Col int
	Module    *ModuleDef // module-bearing commands (assert_trap holds a Module or an Action)
	Register  string     // register: the name modules import it by
	ModuleID  string     // register, actions: the "$id" named; "" means the latest module
	Action    *Action
	Expected  []Expected // assert_return
	Text      string     // the expected failure message of the assert_* commands
}

// ModuleKind says how a script module is written.
type ModuleKind byte

// Module kinds.
const (
	ModuleText ModuleKind = iota + 1
	ModuleBinary
	ModuleQuote
)

// ModuleDef is a module of a script, kept unparsed until Load so that a malformed one
// fails its own assertion rather than the whole script.
type ModuleDef struct {
	Kind      ModuleKind
	ID        string // "$id" or ""
	Line, Col int
	Binary    []byte // (module binary "..."): the bytes
	Quote     []byte // (module quote "..."): the concatenated text

	src    *source // the script, for text modules and for mapping quote offsets
	pos    int     // offset of the (module ...) form in the script
	fields []*node // the fields of a text module
	quotes []*node // the strings of a quote module, to map its offsets back
}

// ActionKind says what an action does.
type ActionKind byte

// Action kinds.
const (
	Invoke ActionKind = iota + 1
	Get
)

// Action invokes an exported function or reads an exported global.
type Action struct {
	Kind     ActionKind
	ModuleID string // "$id", or "" for the latest module
	Name     string
	Args     []Value
}

// ParseScript parses a .wast script. Modules are checked only when loaded (see
// [ModuleDef.Load]); everything else must be well formed. Errors are *SyntaxError.
func ParseScript(filename string, src []byte) (*Script, error) {
	s := newSource(filename, src)
	nodes, broken := s.readTree()
	if broken != nil {
		// Report a command's error if it comes first; either way the script fails.
		for _, n := range nodes {
			if s.command(n); s.err != nil {
				break
			}
		}
		return nil, firstError(s.err, broken)
	}
	sc := &Script{File: filename, Src: src}
	if len(nodes) > 0 && moduleFields[s.head(nodes[0])] {
		// A script may be one module written as bare fields (spec: inline_module1).
		d := &ModuleDef{Kind: ModuleText, src: s, fields: nodes, pos: nodes[0].tok.pos}
		d.Line, d.Col = Position(src, int64(nodes[0].tok.pos))
		sc.Commands = []Command{{Kind: CmdModule, Line: d.Line, Col: d.Col, Module: d}}
		return sc, nil
	}
	for _, n := range nodes {
		cmd := s.command(n)
		if s.err != nil {
			return nil, s.err
		}
		sc.Commands = append(sc.Commands, cmd)
	}
	return sc, nil
}

// command parses one top-level form.
func (s *source) command(n *node) Command {
	h := s.head(n)
	kind, ok := commandNames[h]
	if !ok {
		if h == "" {
			s.unexpected(n)
		} else {
			s.failAt(n, "unknown command %s", h)
		}
		return Command{}
	}
	cmd := Command{Kind: kind}
	cmd.Line, cmd.Col = Position(s.src, int64(n.tok.pos))
	c := elems(n, 1)
	switch kind {
	case CmdModule:
		cmd.Module = s.moduleDef(n)
		return cmd
	case CmdRegister:
		cmd.Register = string(s.str(c, "registered name"))
		cmd.ModuleID, _ = s.optID(c)
	case CmdAction:
		cmd.Action = s.action(&cursor{nodes: []*node{n}, end: endPos(n)})
		cmd.ModuleID = cmd.Action.ModuleID
		return cmd
	case CmdAssertReturn:
		cmd.Action = s.action(c)
		for !c.done() && s.err == nil {
			cmd.Expected = append(cmd.Expected, s.constValue(c.next(), true))
		}
	case CmdAssertTrap:
		if m := c.peek(); s.head(m) == "module" {
			cmd.Module = s.moduleDef(c.next())
		} else {
			cmd.Action = s.action(c)
		}
		cmd.Text = string(s.str(c, "failure message"))
	case CmdAssertExhaustion:
		cmd.Action = s.action(c)
		cmd.Text = string(s.str(c, "failure message"))
	default: // the assertions about modules
		m := c.next()
		if s.head(m) != "module" {
			s.expected(c, m, "(module ...)")
			return cmd
		}
		cmd.Module = s.moduleDef(m)
		cmd.Text = string(s.str(c, "failure message"))
	}
	if cmd.Action != nil {
		cmd.ModuleID = cmd.Action.ModuleID
	}
	s.expectEnd(c)
	return cmd
}

// action consumes "(invoke $id? "name" const*)" or "(get $id? "name")".
func (s *source) action(outer *cursor) *Action {
	a := &Action{}
	n := outer.next()
	switch s.head(n) {
	case "invoke":
		a.Kind = Invoke
	case "get":
		a.Kind = Get
	default:
		s.expected(outer, n, "(invoke ...) or (get ...)")
		return a
	}
	c := elems(n, 1)
	a.ModuleID, _ = s.optID(c)
	a.Name = string(s.str(c, "export name"))
	for a.Kind == Invoke && !c.done() && s.err == nil {
		a.Args = append(a.Args, s.constValue(c.next(), false).Value)
	}
	s.expectEnd(c)
	return a
}

// moduleDef parses "(module $id? ...)" without parsing a text module's fields.
func (s *source) moduleDef(n *node) *ModuleDef {
	d := &ModuleDef{Kind: ModuleText, src: s, pos: n.tok.pos}
	d.Line, d.Col = Position(s.src, int64(n.tok.pos))
	c := elems(n, 1)
	d.ID, _ = s.optID(c)
	switch s.keyword(c.peek()) {
	case "binary":
		c.next()
		d.Kind = ModuleBinary
		d.Binary = []byte{}
		for !c.done() && s.err == nil {
			d.Binary = append(d.Binary, s.str(c, "binary module string")...)
		}
	case "quote":
		c.next()
		d.Kind = ModuleQuote
		d.Quote = []byte{}
		for !c.done() && s.err == nil {
			d.quotes = append(d.quotes, c.peek())
			d.Quote = append(d.Quote, s.str(c, "quoted module string")...)
		}
	default:
		d.fields = c.rest()
	}
	return d
}

// Load produces the module: [frontend.Decode] of a binary module, [ParseModule] of a quote
// module's text, or the parse of a text module. Syntax errors are *SyntaxError with
// positions in the script, also for quote modules (whose Module offsets are into Quote).
func (d *ModuleDef) Load() (*frontend.Module, error) {
	switch d.Kind {
	case ModuleBinary:
		return frontend.Decode(d.Binary)
	case ModuleQuote:
		m, err := ParseModule(d.src.file, d.Quote)
		var se *SyntaxError
		if errors.As(err, &se) {
			off := d.ScriptOffset(se.Offset)
			line, col := Position(d.src.src, off)
			return nil, &SyntaxError{File: d.src.file, Line: line, Col: col, Msg: se.Msg, Offset: off}
		}
		return m, err
	}
	s := &source{file: d.src.file, src: d.src.src, text: d.src.text}
	m := newModuleParser(s).parse(d.ID, d.fields)
	if s.err != nil {
		return nil, s.err
	}
	return m, nil
}

// ScriptOffset maps an offset in the Quote text of a quote module to the offset in the
// script of the character it came from, so that errors in quoted text point into the
// .wast file. Other kinds of module return off unchanged.
func (d *ModuleDef) ScriptOffset(off int64) int64 {
	if d.Kind != ModuleQuote {
		return off
	}
	if len(d.quotes) == 0 {
		return int64(d.pos)
	}
	for i, q := range d.quotes {
		n := int64(len(q.tok.str))
		if off < n || i == len(d.quotes)-1 {
			return int64(rawOffset(d.src.src[q.tok.pos:q.tok.end], int(min(off, n)))) + int64(q.tok.pos)
		}
		off -= n
	}
	return off
}

// rawOffset returns the offset within the string literal raw (quotes included) of the
// character that decodes to byte k of its value.
func rawOffset(raw []byte, k int) int {
	i := 1 // past the opening quote
	for k > 0 && i < len(raw)-1 {
		if raw[i] != '\\' {
			i++
			k--
			continue
		}
		switch {
		case i+1 < len(raw) && raw[i+1] == 'u':
			j := i
			for j < len(raw) && raw[j] != '}' {
				j++
			}
			r := decodeLen(raw[i : j+1])
			i, k = j+1, k-r
		case i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]):
			i, k = i+3, k-1
		default:
			i, k = i+2, k-1
		}
	}
	return i
}

// decodeLen returns the number of bytes a \u{...} escape stands for.
func decodeLen(esc []byte) int {
	lx := &lexer{src: append(append([]byte{'"'}, esc...), '"')}
	return len(lx.stringLit())
}
