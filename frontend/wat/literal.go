package wat

import (
	"math"
	"strconv"
	"strings"
)

// litErr says why a literal was rejected. The spec distinguishes a token that is no number
// of the wanted kind (the parser then reports an unexpected token or unknown operator) from
// a well-formed number outside the type's range ("constant out of range").
type litErr byte

const (
	litOK litErr = iota
	litSyntax
	litRange
)

// digitRun scans digit ('_'? digit)* at s[i:] (hex digits when hex) and returns the end of
// the run and the digits without underscores. ok is false when there is no digit at i or
// an underscore is not between two digits.
func digitRun(s string, i int, hex bool) (end int, digits string, ok bool) {
	isDigit := func(c byte) bool {
		if hex {
			return isHex(c)
		}
		return '0' <= c && c <= '9'
	}
	start := i
	var b strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case isDigit(c):
			b.WriteByte(c)
			i++
		case c == '_' && i > start && i+1 < len(s) && isDigit(s[i+1]):
			i++
		default:
			return i, b.String(), i > start && s[i-1] != '_'
		}
	}
	return i, b.String(), i > start && s[i-1] != '_'
}

// parseNat parses an unsigned literal (num or 0x hexnum, no sign) into a uint64.
func parseNat(s string) (uint64, litErr) {
	hex := strings.HasPrefix(s, "0x")
	start := 0
	base := uint64(10)
	if hex {
		start, base = 2, 16
	}
	end, digits, ok := digitRun(s, start, hex)
	if !ok || end != len(s) {
		return 0, litSyntax
	}
	var v uint64
	overflow := false
	for i := 0; i < len(digits); i++ {
		d, _ := hexVal(digits[i])
		if v > (math.MaxUint64-uint64(d))/base {
			overflow = true
		}
		v = v*base + uint64(d)
	}
	if overflow {
		return 0, litRange
	}
	return v, litOK
}

// parseUint parses an unsigned literal of at most bits bits (spec: uN), as used for
// indices, limits, offsets and alignments.
func parseUint(s string, bits uint) (uint64, litErr) {
	v, e := parseNat(s)
	if e == litOK && bits < 64 && v>>bits != 0 {
		return 0, litRange
	}
	return v, e
}

// parseInt parses an integer literal of an N-bit type (spec: iN, which is uN or sN) and
// returns its two's-complement bits, masked to bits. Unsigned forms range up to 2^N-1,
// signed forms from -2^(N-1) to 2^(N-1)-1.
func parseInt(s string, bits uint) (uint64, litErr) {
	sign := byte(0)
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		sign, s = s[0], s[1:]
	}
	v, e := parseNat(s)
	if e != litOK {
		return 0, e
	}
	half := uint64(1) << (bits - 1)
	mask := uint64(math.MaxUint64) >> (64 - bits)
	switch sign {
	case 0:
		if v > mask {
			return 0, litRange
		}
		return v, litOK
	case '+':
		if v >= half {
			return 0, litRange
		}
		return v, litOK
	}
	if v > half {
		return 0, litRange
	}
	return -v & mask, litOK
}

// floatFormat describes one IEEE binary format.
type floatFormat struct {
	bits     int // 32 or 64: strconv's bitSize
	mantBits uint
	expMask  uint64 // the exponent field, in place
}

var (
	formatF32 = floatFormat{bits: 32, mantBits: 23, expMask: 0xFF << 23}
	formatF64 = floatFormat{bits: 64, mantBits: 52, expMask: 0x7FF << 52}
)

// parseFloat parses a float literal (spec: fN) into the bits of the format: decimal and
// hexadecimal forms with underscores, inf, nan and nan:0x payloads, each with an optional
// sign. Rounding is IEEE round-to-nearest-even straight to the format (strconv rounds
// directly to float32 for bitSize 32, so there is no double rounding); a value that rounds
// to infinity is out of range.
func parseFloat(s string, f floatFormat) (uint64, litErr) {
	signBit := uint64(1) << (f.bits - 1)
	var sign uint64
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = signBit
		}
		s = s[1:]
	}
	switch {
	case s == "inf":
		return sign | f.expMask, litOK
	case s == "nan":
		return sign | f.expMask | 1<<(f.mantBits-1), litOK
	case strings.HasPrefix(s, "nan:0x"):
		end, digits, ok := digitRun(s, 6, true)
		if !ok || end != len(s) {
			return 0, litSyntax
		}
		payload, err := strconv.ParseUint(digits, 16, 64)
		if err != nil || payload == 0 || payload>>f.mantBits != 0 {
			return 0, litRange
		}
		return sign | f.expMask | payload, litOK
	}
	clean, ok := floatSyntax(s)
	if !ok {
		return 0, litSyntax
	}
	v, err := strconv.ParseFloat(clean, f.bits)
	if err != nil || math.IsInf(v, 0) {
		return 0, litRange
	}
	if f.bits == 32 {
		return sign | uint64(math.Float32bits(float32(v))), litOK
	}
	return sign | math.Float64bits(v), litOK
}

// floatSyntax checks an unsigned decimal or hexadecimal float literal against the spec's
// grammar, which is stricter than strconv's, and returns it without underscores and with
// the binary exponent strconv requires of hexadecimal forms.
func floatSyntax(s string) (string, bool) {
	hex := strings.HasPrefix(s, "0x")
	i := 0
	prefix := ""
	if hex {
		i, prefix = 2, "0x"
	}
	end, mant, ok := digitRun(s, i, hex)
	if !ok {
		return "", false
	}
	i = end
	out := prefix + mant
	if i < len(s) && s[i] == '.' {
		i++
		out += "."
		if i < len(s) && (isHex(s[i]) && hex || '0' <= s[i] && s[i] <= '9') {
			end, frac, ok := digitRun(s, i, hex)
			if !ok {
				return "", false
			}
			i, out = end, out+frac
		}
	}
	expChar := byte('e')
	if hex {
		expChar = 'p'
	}
	if i < len(s) && (s[i]|0x20) == expChar {
		i++
		out += string(expChar)
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			out += string(s[i])
			i++
		}
		end, exp, ok := digitRun(s, i, false)
		if !ok {
			return "", false
		}
		i, out = end, out+exp
	} else if hex {
		out += "p0"
	}
	return out, i == len(s)
}

// literal consumes the token of a numeric literal.
func (s *source) literal(c *cursor, what string) (string, *node) {
	n := c.next()
	if n == nil || (n.tok.kind != tokAtom && !isFloatKeyword(s.keyword(n))) {
		s.expected(c, n, what)
		return "", nil
	}
	return s.tokText(n), n
}

// litFail reports a rejected literal with the spec's wording: a token that is no literal
// of the type is an unknown operator, a literal outside the type's range is a constant out
// of range.
func (s *source) litFail(n *node, e litErr, what string) {
	if e == litSyntax && !looksNumeric(s.tokText(n)) {
		s.failAt(n, "unknown operator %s: not a valid %s", s.tokText(n), what)
	} else {
		s.failAt(n, "constant out of range: %s is not a valid %s", s.tokText(n), what)
	}
}

// intLit consumes an integer literal of the given width.
func (s *source) intLit(c *cursor, width uint) uint64 {
	what := "i32 literal"
	if width == 64 {
		what = "i64 literal"
	}
	text, n := s.literal(c, what)
	if n == nil {
		return 0
	}
	v, e := parseInt(text, width)
	if e != litOK {
		s.litFail(n, e, what)
	}
	return v
}

// floatLit consumes a float literal of the given format.
func (s *source) floatLit(c *cursor, f floatFormat) uint64 {
	what := "f32 literal"
	if f.bits == 64 {
		what = "f64 literal"
	}
	text, n := s.literal(c, what)
	if n == nil {
		return 0
	}
	v, e := parseFloat(text, f)
	if e != litOK {
		s.litFail(n, e, what)
	}
	return v
}

// looksNumeric reports whether text is a number token of any type, in or out of range,
// which decides between "unknown operator" and "unexpected token".
func looksNumeric(text string) bool {
	if len(text) > 0 && (text[0] == '+' || text[0] == '-') {
		text = text[1:]
	}
	if _, e := parseNat(text); e != litSyntax {
		return true
	}
	if isFloatKeyword(text) {
		return true
	}
	_, ok := floatSyntax(text)
	return ok
}
