package wat

import (
	"fmt"
	"unicode/utf8"
)

// tokKind classifies a token the way the spec's lexical grammar does (WebAssembly 2.0
// §6.3.1, with the 3.0 refinement that a run of characters and strings with no space
// between them is one reserved token: `$l"a"` is an error, not an id and a string).
type tokKind byte

const (
	tokLParen   tokKind = iota + 1
	tokRParen           // )
	tokKeyword          // starts with a lowercase letter: i32.add, offset=4, nan:0x1
	tokID               // $name
	tokAtom             // any other run of idchars: numbers, signs, capitalised words
	tokString           // "..." with its escapes decoded into token.str
	tokReserved         // never valid: strings glued to other characters, stray bytes
)

func (k tokKind) String() string {
	switch k {
	case tokLParen:
		return "("
	case tokRParen:
		return ")"
	case tokKeyword:
		return "keyword"
	case tokID:
		return "identifier"
	case tokAtom:
		return "number"
	case tokString:
		return "string"
	}
	return "reserved token"
}

// token is one lexeme: its kind and its byte range in the source. Strings keep their
// decoded bytes, which may be any bytes (\hh escapes); whether they must be UTF-8 depends
// on where the string is used.
type token struct {
	kind     tokKind
	pos, end int
	str      []byte
}

// lexer splits source text into tokens. It fails only on what no token may contain: an
// unterminated string or block comment and a bad escape or raw byte inside a string.
type lexer struct {
	file string
	src  []byte
	pos  int
	err  *SyntaxError
}

// isIDChar reports whether c may appear in keywords, ids and numbers (spec: idchar).
func isIDChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '/', ':', '<', '=', '>', '?', '@', '\\', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// isDelimiter reports whether c ends a token: white space, parentheses and the start of a
// comment.
func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', ';':
		return true
	}
	return false
}

func (l *lexer) failf(off int, format string, args ...any) {
	if l.err == nil {
		l.err = errorAt(l.file, l.src, off, format, args...)
	}
}

// skipSpace skips white space and comments and reports whether a token follows.
func (l *lexer) skipSpace() bool {
	for l.pos < len(l.src) && l.err == nil {
		switch c := l.src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.pos++
		case c == ';' && l.peek(1) == ';':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.pos++
			}
		case c == '(' && l.peek(1) == ';':
			l.blockComment()
		default:
			return true
		}
	}
	return false
}

func (l *lexer) peek(ahead int) byte {
	if l.pos+ahead < len(l.src) {
		return l.src[l.pos+ahead]
	}
	return 0
}

// blockComment skips a (; ... ;) comment, which nests.
func (l *lexer) blockComment() {
	start := l.pos
	depth := 0
	for l.pos < len(l.src) {
		switch {
		case l.src[l.pos] == '(' && l.peek(1) == ';':
			depth++
			l.pos += 2
		case l.src[l.pos] == ';' && l.peek(1) == ')':
			depth--
			l.pos += 2
			if depth == 0 {
				return
			}
		default:
			l.pos++
		}
	}
	l.failf(start, "unclosed block comment")
}

// next returns the next token; ok is false at the end of input or after an error.
func (l *lexer) next() (token, bool) {
	if !l.skipSpace() {
		return token{}, false
	}
	start := l.pos
	switch l.src[l.pos] {
	case '(':
		l.pos++
		return token{kind: tokLParen, pos: start, end: l.pos}, true
	case ')':
		l.pos++
		return token{kind: tokRParen, pos: start, end: l.pos}, true
	case ';': // a lone semicolon: not a comment, not a token
		l.pos++
		return token{kind: tokReserved, pos: start, end: l.pos}, true
	}
	// A maximal run of idchars, strings and stray bytes; its pieces decide its kind.
	pieces, strings, plain := 0, 0, true
	var str []byte
	for l.pos < len(l.src) && !isDelimiter(l.src[l.pos]) && l.err == nil {
		pieces++
		switch c := l.src[l.pos]; {
		case c == '"':
			strings++
			str = l.stringLit()
		case isIDChar(c):
			for l.pos < len(l.src) && isIDChar(l.src[l.pos]) {
				l.pos++
			}
		default:
			plain = false
			for l.pos < len(l.src) && !isDelimiter(l.src[l.pos]) && !isIDChar(l.src[l.pos]) && l.src[l.pos] != '"' {
				l.pos++
			}
		}
	}
	if l.err != nil {
		return token{}, false
	}
	t := token{pos: start, end: l.pos}
	switch {
	case !plain || pieces != 1:
		t.kind = tokReserved
	case strings == 1:
		t.kind, t.str = tokString, str
	default:
		c := l.src[start]
		switch {
		case 'a' <= c && c <= 'z':
			t.kind = tokKeyword
		case c == '$' && l.pos-start > 1:
			t.kind = tokID
		case c == '$':
			t.kind = tokReserved
		default:
			t.kind = tokAtom
		}
	}
	return t, true
}

// stringLit scans a string literal at l.pos and returns its decoded bytes.
func (l *lexer) stringLit() []byte {
	start := l.pos
	l.pos++ // opening quote
	var out []byte
	for l.err == nil {
		if l.pos >= len(l.src) {
			l.failf(start, "unterminated string")
			return nil
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			if out == nil {
				out = []byte{}
			}
			return out
		case c == '\\':
			out = l.escape(out)
		case c < 0x20 || c == 0x7F:
			l.failf(l.pos, "illegal character in string: control character 0x%02x", c)
		case c < utf8.RuneSelf:
			out = append(out, c)
			l.pos++
		default:
			r, size := utf8.DecodeRune(l.src[l.pos:])
			if r == utf8.RuneError && size <= 1 {
				l.failf(l.pos, "malformed UTF-8 encoding in string")
				return nil
			}
			out = append(out, l.src[l.pos:l.pos+size]...)
			l.pos += size
		}
	}
	return nil
}

// escape decodes one escape sequence at l.pos (a backslash) and appends its bytes.
func (l *lexer) escape(out []byte) []byte {
	start := l.pos
	l.pos++
	if l.pos >= len(l.src) {
		l.failf(start, "unterminated string")
		return out
	}
	c := l.src[l.pos]
	l.pos++
	switch c {
	case 't':
		return append(out, '\t')
	case 'n':
		return append(out, '\n')
	case 'r':
		return append(out, '\r')
	case '"', '\'', '\\':
		return append(out, c)
	case 'u':
		return l.unicodeEscape(start, out)
	}
	if hi, ok := hexVal(c); ok && l.pos < len(l.src) {
		if lo, ok := hexVal(l.src[l.pos]); ok {
			l.pos++
			return append(out, hi<<4|lo)
		}
	}
	l.failf(start, "illegal escape %q", string(l.src[start:min(l.pos, len(l.src))]))
	return out
}

// unicodeEscape decodes the rest of \u{hex}: a Unicode scalar value, stored as UTF-8.
func (l *lexer) unicodeEscape(start int, out []byte) []byte {
	if l.pos >= len(l.src) || l.src[l.pos] != '{' {
		l.failf(start, "illegal escape: \\u must be followed by {hex}")
		return out
	}
	l.pos++
	var r uint32
	digits := 0
	for l.pos < len(l.src) && l.src[l.pos] != '}' {
		d, ok := hexVal(l.src[l.pos])
		if !ok {
			if l.src[l.pos] == '_' && digits > 0 && l.pos+1 < len(l.src) && isHex(l.src[l.pos+1]) {
				l.pos++
				continue
			}
			l.failf(start, "illegal escape: bad hex digit in \\u{...}")
			return out
		}
		if r <= 0x10FFFF { // beyond it r only needs to stay too large
			r = r<<4 | uint32(d)
		}
		digits++
		l.pos++
	}
	if l.pos >= len(l.src) || digits == 0 {
		l.failf(start, "illegal escape: unterminated \\u{...}")
		return out
	}
	l.pos++ // }
	if r > 0x10FFFF || (0xD800 <= r && r < 0xE000) {
		l.failf(start, "illegal escape: \\u{%x} is not a Unicode scalar value", r)
		return out
	}
	return utf8.AppendRune(out, rune(r))
}

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isHex(c byte) bool { _, ok := hexVal(c); return ok }

// describe renders a token for an error message.
func describe(src []byte, t token) string {
	if t.kind == 0 {
		return "end of input"
	}
	text := src[t.pos:t.end]
	if len(text) > 40 {
		text = append(append([]byte{}, text[:37]...), "..."...)
	}
	for _, c := range text {
		if c <= ' ' || c >= 0x7F || c == '"' {
			return fmt.Sprintf("%q", text)
		}
	}
	return string(text) // plain tokens read best unquoted: unknown operator i32.foo
}
