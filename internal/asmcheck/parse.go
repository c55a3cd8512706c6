package asmcheck

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// knownArches are the architectures a check line may name. Lines for every one of them
// parse, whether or not a disassembler exists for it yet ([Arches]), so arm64 lines can be
// written before arm64 code is checked.
var knownArches = []string{"amd64", "arm64"}

// AtLeastOne is [Check.Want] for a plain "re": some instruction must match.
const AtLeastOne = -1

// A Check is one pattern of a check line.
type Check struct {
	File string // as given to Parse
	Line int
	Arch string
	Func string         // the function's symbol: its $name
	Src  string         // the check as written: "re", -"re" or N "re", each maybe with head
	Re   *regexp.Regexp // the pattern
	Want int            // how many instructions must match, or AtLeastOne
	Head bool           // only instructions at loop heads count (see loopHeads)
}

// A SyntaxError is a malformed check line, or one that constrains no named function.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Parse returns the checks of the .wat text src, in file order; file names it in positions.
// It reports every malformed check line, each as a [*SyntaxError].
func Parse(file string, src []byte) ([]Check, error) {
	p := &parser{file: file, src: string(src), line: 1, funcDepth: -1}
	p.scan()
	for _, c := range p.pending {
		p.errorf(c.Line, "check line with no (func $name …) after it")
	}
	return p.checks, errors.Join(p.errs...)
}

// parser walks the module's s-expressions only as far as it must to know which function a
// comment line is in: parentheses, strings, comments and each list's keyword.
type parser struct {
	file string
	src  string
	pos  int
	line int

	stack     []string // the keyword of each open list
	funcDepth int      // len(stack) inside the current module-level func, or -1 outside
	funcName  string   // its $name, or "" if it has none
	pending   []Check  // checks waiting for the next module-level func
	checks    []Check
	errs      []error
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &SyntaxError{p.file, line, fmt.Sprintf(format, args...)})
}

func (p *parser) scan() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], ";;"):
			end := strings.IndexByte(p.src[p.pos:], '\n')
			if end < 0 {
				end = len(p.src) - p.pos
			}
			p.comment(p.src[p.pos+2 : p.pos+end])
			p.pos += end
		case strings.HasPrefix(p.src[p.pos:], "(;"):
			p.blockComment()
		case c == '"':
			p.skipString()
		case c == '(':
			p.pos++
			p.skipSpace()
			p.open(p.word())
		case c == ')':
			p.pos++
			if len(p.stack) > 0 {
				p.stack = p.stack[:len(p.stack)-1]
			}
			if len(p.stack) < p.funcDepth {
				p.funcDepth, p.funcName = -1, ""
			}
		default:
			p.pos++
		}
	}
}

// open enters a list whose keyword is kw. A func directly inside the module (or at the top
// level of a file of bare module fields) is a function; other funcs are types and imports.
func (p *parser) open(kw string) {
	parent := ""
	if len(p.stack) > 0 {
		parent = p.stack[len(p.stack)-1]
	}
	p.stack = append(p.stack, kw)
	if kw != "func" || parent != "" && parent != "module" {
		return
	}
	p.funcDepth = len(p.stack)
	p.skipSpace()
	p.funcName = ""
	if strings.HasPrefix(p.src[p.pos:], "$") {
		p.funcName = p.word()
	}
	for _, c := range p.pending {
		p.attach(c)
	}
	p.pending = nil
}

// attach gives c to the current function.
func (p *parser) attach(c Check) {
	if p.funcName == "" {
		p.errorf(c.Line, "check for a func with no $name: wasmc names its symbol after the $name")
		return
	}
	c.Func = p.funcName
	p.checks = append(p.checks, c)
}

// word reads a keyword or $id.
func (p *parser) word() string {
	start := p.pos
	for p.pos < len(p.src) && isIDChar(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// isIDChar reports whether c may appear in a wat keyword or identifier (WebAssembly core
// spec, 6.3.5 Identifiers).
func isIDChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("!#$%&'*+-./:<=>?@\\^_`|~", c) >= 0
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		if p.src[p.pos] == '\n' {
			p.line++
		}
		p.pos++
	}
}

func (p *parser) skipString() {
	for p.pos++; p.pos < len(p.src) && p.src[p.pos] != '"'; p.pos++ {
		switch p.src[p.pos] {
		case '\\':
			p.pos++
		case '\n':
			p.line++ // invalid wat; the module's own parser says so
		}
	}
	p.pos++
}

// blockComment skips a (; … ;) comment, which may nest.
func (p *parser) blockComment() {
	depth := 0
	for p.pos < len(p.src) {
		switch {
		case strings.HasPrefix(p.src[p.pos:], "(;"):
			depth++
			p.pos += 2
		case strings.HasPrefix(p.src[p.pos:], ";)"):
			depth--
			p.pos += 2
			if depth == 0 {
				return
			}
		default:
			if p.src[p.pos] == '\n' {
				p.line++
			}
			p.pos++
		}
	}
}

var archPrefix = regexp.MustCompile(`^\s*([a-z][a-z0-9_]*):\s*`)

// comment handles the text of a line comment after ";;".
func (p *parser) comment(text string) {
	m := archPrefix.FindStringSubmatch(text)
	if m == nil {
		return
	}
	arch, rest := m[1], text[len(m[0]):]
	if !slices.Contains(knownArches, arch) {
		if strings.HasPrefix(strings.TrimPrefix(rest, "-"), `"`) || strings.HasPrefix(strings.TrimPrefix(rest, "-"), "`") {
			p.errorf(p.line, "unknown architecture %q (known: %s)", arch, strings.Join(knownArches, ", "))
		}
		return // an ordinary comment such as ";; Why: …"
	}
	checks, err := parseChecks(rest)
	if err != nil {
		p.errorf(p.line, "%s: %v", arch, err)
		return
	}
	for _, c := range checks {
		c.File, c.Line, c.Arch = p.file, p.line, arch
		if p.funcDepth >= 0 {
			p.attach(c)
		} else {
			p.pending = append(p.pending, c)
		}
	}
}

// parseChecks parses the checks after "arch:".
func parseChecks(s string) ([]Check, error) {
	var checks []Check
	for {
		s = strings.TrimLeft(s, " \t\r,")
		if s == "" {
			break
		}
		start := s
		c := Check{Want: AtLeastOne}
		if s[0] == '-' {
			c.Want, s = 0, s[1:]
		} else if n := len(s) - len(strings.TrimLeft(s, "0123456789")); n > 0 {
			c.Want, _ = strconv.Atoi(s[:n])
			s = strings.TrimLeft(s[n:], " \t")
		}
		if rest, ok := strings.CutPrefix(s, "head"); ok && rest != "" && strings.IndexByte(" \t", rest[0]) >= 0 {
			c.Head, s = true, strings.TrimLeft(rest, " \t")
		}
		lit, rest, err := cutLiteral(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", strings.TrimSpace(start), err)
		}
		c.Src = strings.TrimSuffix(start, rest)
		if rest != "" && strings.IndexByte(" \t\r,", rest[0]) < 0 {
			return nil, fmt.Errorf("%s: want a space or comma after it", c.Src)
		}
		if c.Re, err = regexp.Compile(lit); err != nil {
			return nil, fmt.Errorf("%s: %v", c.Src, err)
		}
		checks = append(checks, c)
		s = rest
	}
	if len(checks) == 0 {
		return nil, errors.New("no checks")
	}
	return checks, nil
}

// cutLiteral unquotes the Go string literal at the start of s and returns the rest of s.
func cutLiteral(s string) (lit, rest string, err error) {
	if s == "" || s[0] != '"' && s[0] != '`' {
		return "", "", errors.New(`want a pattern: "re", -"re" or N "re" (a Go string literal), each maybe after head`)
	}
	end := -1
	if s[0] == '`' {
		if i := strings.IndexByte(s[1:], '`'); i >= 0 {
			end = i + 2
		}
	} else {
		for i := 1; i < len(s); i++ {
			if s[i] == '\\' {
				i++
			} else if s[i] == '"' {
				end = i + 1
				break
			}
		}
	}
	if end < 0 {
		return "", "", errors.New("unterminated string")
	}
	lit, err = strconv.Unquote(s[:end])
	if err != nil {
		return "", "", errors.New("not a Go string literal (write a backslash as \\\\, or use `…`)")
	}
	return lit, s[end:], nil
}
