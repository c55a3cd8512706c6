package ir

import "strconv"

// SyntaxError is a problem in IR text, with the 1-based line and column (in bytes) where
// it was found. Parsing stops at the first one.
type SyntaxError struct {
	Line, Col int    // where the problem is; Col counts bytes from 1
	Msg       string // what is wrong, without the position
	// Err is the underlying error, if any (a *strconv.NumError for a bad number).
	Err error
}

// Error returns "line:col: msg".
func (e *SyntaxError) Error() string {
	return strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": " + e.Msg
}

// Unwrap returns the underlying error.
func (e *SyntaxError) Unwrap() error { return e.Err }

type tokKind uint8

const (
	tEOF     tokKind = iota
	tNewline         // end of a line: instructions and declarations are one per line
	tWord            // v3, b1, iadd, load.s8, mem0, -12, 0x1p-3, nan, …
	tName            // $name or $"quoted name"; text holds the name without $ or quotes
	tString          // "…"; text holds the decoded bytes
	tPunct           // ( ) { } [ ] , : = + ->
)

type token struct {
	kind      tokKind
	text      string
	line, col int
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tNewline:
		return "end of line"
	case tName:
		p := &printer{}
		p.name(t.text)
		return string(p.buf)
	case tString:
		p := &printer{}
		p.quote(t.text)
		return string(p.buf)
	}
	return strconv.Quote(t.text)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lex splits src into tokens. Comments run from ';' to the end of the line.
func lex(src string) ([]token, error) {
	var toks []token
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		c := src[i]
		col := i - lineStart + 1
		errAt := func(msg string) error { return &SyntaxError{Line: line, Col: col, Msg: msg} }
		switch {
		case c == '\n':
			toks = append(toks, token{tNewline, "", line, col})
			i++
			line, lineStart = line+1, i
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '-' && i+1 < len(src) && src[i+1] == '>':
			toks = append(toks, token{tPunct, "->", line, col})
			i += 2
		case isWordByte(c) || (c == '-' || c == '+') && i+1 < len(src) && isWordByte(src[i+1]):
			j := i + 1
			hex := len(src) > i+2 && src[i] == '0' && (src[i+1] == 'x' || src[i+1] == 'X') ||
				len(src) > i+3 && !isDigit(src[i]) && src[i+1] == '0' && (src[i+2] == 'x' || src[i+2] == 'X')
			numeric := isDigit(c) || !isWordByte(c) && isDigit(src[i+1])
			for j < len(src) {
				d := src[j]
				if isWordByte(d) {
					j++
					continue
				}
				// An exponent sign inside a number: 1e-5, 0x1p+3.
				if (d == '+' || d == '-') && numeric && j+1 < len(src) && isDigit(src[j+1]) {
					e := src[j-1]
					if !hex && (e == 'e' || e == 'E') || hex && (e == 'p' || e == 'P') {
						j++
						continue
					}
				}
				break
			}
			toks = append(toks, token{tWord, src[i:j], line, col})
			i = j
		case c == '$':
			if i+1 < len(src) && src[i+1] == '"' {
				s, n, err := unquote(src[i+1:])
				if err != "" {
					return nil, errAt(err)
				}
				toks = append(toks, token{tName, s, line, col})
				i += 1 + n
				break
			}
			j := i + 1
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			if j == i+1 {
				return nil, errAt("expected a name after $")
			}
			toks = append(toks, token{tName, src[i+1 : j], line, col})
			i = j
		case c == '"':
			s, n, err := unquote(src[i:])
			if err != "" {
				return nil, errAt(err)
			}
			toks = append(toks, token{tString, s, line, col})
			i += n
		case c == '(' || c == ')' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == '=' || c == '+':
			toks = append(toks, token{tPunct, src[i : i+1], line, col})
			i++
		default:
			return nil, errAt("unexpected character " + strconv.QuoteRune(rune(c)))
		}
	}
	toks = append(toks, token{tEOF, "", line, len(src) - lineStart + 1})
	return toks, nil
}

// unquote decodes the string literal at the start of s, returning its bytes and the
// number of source bytes it took. Escapes are \hh, \n, \t, \r, \", \' and \\.
func unquote(s string) (string, int, string) {
	var out []byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return string(out), i + 1, ""
		case c == '\n':
			return "", 0, "newline in string"
		case c != '\\':
			out = append(out, c)
		case i+1 >= len(s):
			return "", 0, "unterminated string"
		default:
			i++
			switch e := s[i]; e {
			case 'n':
				out = append(out, '\n')
			case 't':
				out = append(out, '\t')
			case 'r':
				out = append(out, '\r')
			case '"', '\'', '\\':
				out = append(out, e)
			default:
				h, ok1 := unhex(e)
				var l byte
				ok2 := false
				if i+1 < len(s) {
					l, ok2 = unhex(s[i+1])
				}
				if !ok1 || !ok2 {
					return "", 0, "bad escape in string"
				}
				out = append(out, h<<4|l)
				i++
			}
		}
	}
	return "", 0, "unterminated string"
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
