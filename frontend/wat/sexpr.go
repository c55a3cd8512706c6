package wat

import "fmt"

// maxDepth bounds the nesting of parentheses and of blocks. The parsers recurse over
// both, so the bound keeps a hostile input from exhausting the stack; it is far above what
// compilers emit (a switch of a few thousand cases nests as many blocks).
const maxDepth = 100000

// node is one element of the S-expression tree: an atom (any token but parentheses) or a
// list, whose tok is the opening parenthesis and whose end is just past the closing one.
type node struct {
	tok  token
	list []*node
}

func (n *node) isList() bool { return n.tok.kind == tokLParen }

// source is what every parser of this package shares: the text, its name, and the first
// error, which sticks (callers check err at loop boundaries, as frontend's reader does).
type source struct {
	file string
	src  []byte
	text string // src as a string, so that token texts are substrings, not copies
	err  *SyntaxError
}

func newSource(file string, src []byte) *source {
	return &source{file: file, src: src, text: string(src)}
}

func (s *source) failf(off int, format string, args ...any) {
	if s.err == nil {
		s.err = errorAt(s.file, s.src, off, format, args...)
	}
}

// failAt reports an error at node n.
func (s *source) failAt(n *node, format string, args ...any) { s.failf(n.tok.pos, format, args...) }

// unexpected reports n as an unexpected token.
func (s *source) unexpected(n *node) { s.badToken(n, "") }

// badToken reports n where it does not belong, with the reference interpreter's wording:
// a token that is no token of the language at all (a reserved token, a malformed number,
// an unknown keyword) is an "unknown operator"; a known token in the wrong place is an
// "unexpected token". A list is judged by its first element. expecting, when not empty,
// says what was wanted instead.
func (s *source) badToken(n *node, expecting string) {
	suffix := ""
	if expecting != "" {
		suffix = ", expected " + expecting
	}
	at := n
	if n.isList() && len(n.list) > 0 && !n.list[0].isList() {
		at = n.list[0]
	}
	if !at.isList() && s.isUnknownToken(at) {
		s.failAt(at, "unknown operator %s%s", describe(s.src, at.tok), suffix)
		return
	}
	if n.isList() {
		s.failAt(n, "unexpected token %s%s", s.describeList(n), suffix)
		return
	}
	s.failAt(n, "unexpected token %s%s", describe(s.src, n.tok), suffix)
}

// isUnknownToken reports whether atom n is no token of the language.
func (s *source) isUnknownToken(n *node) bool {
	switch n.tok.kind {
	case tokReserved:
		return true
	case tokAtom:
		return !looksNumeric(s.tokText(n))
	case tokKeyword:
		return !isKnownKeyword(s.tokText(n))
	}
	return false
}

func (s *source) describeList(n *node) string {
	if h := s.head(n); h != "" {
		return fmt.Sprintf("(%s ...)", h)
	}
	return "("
}

// tokText returns the source text of atom n.
func (s *source) tokText(n *node) string { return s.text[n.tok.pos:n.tok.end] }

// keyword returns the text of n when it is a keyword atom, else "".
func (s *source) keyword(n *node) string {
	if n != nil && n.tok.kind == tokKeyword {
		return s.tokText(n)
	}
	return ""
}

// head returns the keyword that opens list n, or "".
func (s *source) head(n *node) string {
	if n == nil || !n.isList() || len(n.list) == 0 {
		return ""
	}
	return s.keyword(n.list[0])
}

// readTree lexes src and builds its S-expression forest. When the text is broken (a
// lexical error, a parenthesis too many or too few) it returns the forest up to the
// break, with the lists still open closed there, and the error separately: the caller
// parses what there is and reports whichever error comes first in the text, as a parser
// reading left to right would.
func (s *source) readTree() ([]*node, *SyntaxError) {
	lx := &lexer{file: s.file, src: s.src}
	var top []*node
	var stack []*node // open lists
	var broken *SyntaxError
	add := func(n *node) {
		if len(stack) == 0 {
			top = append(top, n)
		} else {
			p := stack[len(stack)-1]
			p.list = append(p.list, n)
		}
	}
	for broken == nil {
		t, ok := lx.next()
		if !ok {
			broken = lx.err
			break
		}
		switch t.kind {
		case tokLParen:
			if len(stack) >= maxDepth {
				broken = errorAt(s.file, s.src, t.pos, "nesting deeper than %d", maxDepth)
				break
			}
			stack = append(stack, &node{tok: t})
		case tokRParen:
			if len(stack) == 0 {
				broken = errorAt(s.file, s.src, t.pos, "unexpected token )")
				break
			}
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n.tok.end = t.end
			add(n)
		default:
			add(&node{tok: t})
		}
	}
	if broken == nil && len(stack) > 0 {
		line, col := Position(s.src, int64(stack[len(stack)-1].tok.pos))
		broken = errorAt(s.file, s.src, len(s.src), "unexpected end of input: \"(\" at %d:%d is not closed", line, col)
	}
	for len(stack) > 0 { // close what is open where the text broke
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n.tok.end = int(broken.Offset) + 1
		add(n)
	}
	return top, broken
}

// firstError returns the error that comes first in the text; a tie goes to the tree's,
// whose position is where the text broke.
func firstError(parse, tree *SyntaxError) *SyntaxError {
	if parse == nil || (tree != nil && tree.Offset <= parse.Offset) {
		return tree
	}
	return parse
}

// cursor walks the elements of one list.
type cursor struct {
	nodes []*node
	i     int
	end   int // offset of the list's closing parenthesis, for errors at its end
}

// elems returns a cursor over the elements of list n after its first skip elements.
func elems(n *node, skip int) *cursor {
	return &cursor{nodes: n.list, i: min(skip, len(n.list)), end: endPos(n)}
}

func (c *cursor) done() bool { return c.i >= len(c.nodes) }

// peek returns the current element, or nil at the end.
func (c *cursor) peek() *node {
	if c.i < len(c.nodes) {
		return c.nodes[c.i]
	}
	return nil
}

// next returns the current element and advances, or nil at the end.
func (c *cursor) next() *node {
	if c.i < len(c.nodes) {
		c.i++
		return c.nodes[c.i-1]
	}
	return nil
}

// rest returns the elements not yet consumed.
func (c *cursor) rest() []*node { return c.nodes[c.i:] }

// expectEnd reports an unexpected token if c has elements left.
func (s *source) expectEnd(c *cursor) {
	if n := c.peek(); n != nil {
		s.unexpected(n)
	}
}

// endPos returns the offset of the closing parenthesis of list n.
func endPos(n *node) int { return n.tok.end - 1 }

// optID consumes an $id if one is next and returns it (with its $), or "".
func (s *source) optID(c *cursor) (string, *node) {
	if n := c.peek(); n != nil && n.tok.kind == tokID {
		c.next()
		return s.tokText(n), n
	}
	return "", nil
}

// str consumes a string atom and returns its decoded bytes, reporting an error otherwise.
func (s *source) str(c *cursor, what string) []byte {
	n := c.next()
	if n == nil || n.tok.kind != tokString {
		s.expected(c, n, what)
		return nil
	}
	return n.tok.str
}

// expected reports that n, an element of c (nil: the end of c), is not what.
func (s *source) expected(c *cursor, n *node, what string) {
	if n == nil {
		s.failf(c.end, "unexpected token ), expected %s", what)
		return
	}
	s.badToken(n, what)
}
