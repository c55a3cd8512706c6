package wat

import (
	"strings"
	"testing"
)

// lexAll returns the tokens of src, or the lexer's error.
func lexAll(src string) ([]token, *SyntaxError) {
	lx := &lexer{file: "t", src: []byte(src)}
	var toks []token
	for {
		t, ok := lx.next()
		if !ok {
			return toks, lx.err
		}
		toks = append(toks, t)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ src, want string }{
		{`""`, ""},
		{`"abc"`, "abc"},
		{`"\t\n\r\"\'\\"`, "\t\n\r\"'\\"},
		{`"\00\ff\7F\a0"`, "\x00\xff\x7f\xa0"},
		{`"\u{0}\u{41}\u{00e9}\u{1F600}\u{10_FFFF}"`, "\x00A\u00e9\U0001F600\U0010FFFF"},
		{`"Heiße Würstchen 🌭"`, "Heiße Würstchen 🌭"},
		{`"(;not a comment;) ;; nor this"`, "(;not a comment;) ;; nor this"},
	}
	for _, tt := range tests {
		toks, err := lexAll(tt.src)
		if err != nil || len(toks) != 1 || toks[0].kind != tokString {
			t.Errorf("lex %s: %v %v", tt.src, toks, err)
			continue
		}
		if got := string(toks[0].str); got != tt.want {
			t.Errorf("lex %s = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestStringErrors(t *testing.T) {
	tests := []struct{ src, msg string }{
		{`"abc`, "unterminated string"},
		{`"\q"`, "illegal escape"},
		{`"\x41"`, "illegal escape"},
		{`"\4"`, "illegal escape"},
		{`"\u41"`, "illegal escape"},
		{`"\u{}"`, "illegal escape"},
		{`"\u{D800}"`, "not a Unicode scalar value"},
		{`"\u{110000}"`, "not a Unicode scalar value"},
		{`"\u{FFFFFFFFFFFFFFFFFFFF}"`, "not a Unicode scalar value"},
		{"\"tab\there\"", "control character 0x09"},
		{"\"del\x7f\"", "control character 0x7f"},
		{"\"bad \xff utf-8\"", "malformed UTF-8"},
		{"\"surrogate \xed\xa0\x80\"", "malformed UTF-8"},
	}
	for _, tt := range tests {
		_, err := lexAll(tt.src)
		if err == nil || !strings.Contains(err.Msg, tt.msg) {
			t.Errorf("lex %q: error %v, want %q", tt.src, err, tt.msg)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		src   string
		kinds []tokKind
	}{
		{"(func $f)", []tokKind{tokLParen, tokKeyword, tokID, tokRParen}},
		{"i32.const -0x1_0 +inf 1.5e3", []tokKind{tokKeyword, tokAtom, tokAtom, tokAtom}},
		{"nan:0x1 inf offset=4", []tokKind{tokKeyword, tokKeyword, tokKeyword}},
		{`$ $a$b $"x"`, []tokKind{tokReserved, tokID, tokReserved}},
		{`$l"a" "a""b" "a"x 0"a"`, []tokKind{tokReserved, tokReserved, tokReserved, tokReserved}},
		{"a,b [ ; {", []tokKind{tokReserved, tokReserved, tokReserved, tokReserved}},
		{"(;c;)x(;(;nested;);)y;;z\nw", []tokKind{tokKeyword, tokKeyword, tokKeyword}},
		{"br 0(nop)", []tokKind{tokKeyword, tokAtom, tokLParen, tokKeyword, tokRParen}},
		{"Upper", []tokKind{tokAtom}},
	}
	for _, tt := range tests {
		toks, err := lexAll(tt.src)
		if err != nil {
			t.Errorf("lex %q: %v", tt.src, err)
			continue
		}
		var kinds []tokKind
		for _, tok := range toks {
			kinds = append(kinds, tok.kind)
		}
		if len(kinds) != len(tt.kinds) {
			t.Errorf("lex %q = %v, want %v", tt.src, kinds, tt.kinds)
			continue
		}
		for i := range kinds {
			if kinds[i] != tt.kinds[i] {
				t.Errorf("lex %q = %v, want %v", tt.src, kinds, tt.kinds)
				break
			}
		}
	}
	if _, err := lexAll("(; never closed (; ;)"); err == nil || !strings.Contains(err.Msg, "unclosed block comment") {
		t.Errorf("unclosed comment: %v", err)
	}
}

func TestPosition(t *testing.T) {
	src := []byte("ab\ncd\n\nef")
	tests := []struct {
		off       int64
		line, col int
	}{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {5, 2, 3}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {100, 4, 3}, {-1, 1, 1},
	}
	for _, tt := range tests {
		if line, col := Position(src, tt.off); line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}

// TestLineCommentEnds checks that a line comment ends at any of the spec's newlines: LF,
// CR, or CR LF (comments.wast writes a CR alone).
func TestLineCommentEnds(t *testing.T) {
	for _, nl := range []string{"\n", "\r", "\r\n"} {
		src := ";; comment" + nl + "tok"
		toks, err := lexAll(src)
		if err != nil || len(toks) != 1 || src[toks[0].pos:toks[0].end] != "tok" {
			t.Errorf("newline %q: tokens %v, error %v", nl, toks, err)
		}
	}
}
