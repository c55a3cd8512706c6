package wat

import "strings"

// Shape is a v128 lane interpretation as written after v128.const: in scripts it says
// how an expected vector is compared (lane by lane, NaN patterns per float lane).
type Shape byte

// The shapes of WebAssembly 2.0.
const (
	I8x16 Shape = iota + 1
	I16x8
	I32x4
	I64x2
	F32x4
	F64x2
)

var shapeInfo = [...]struct {
	name  string
	lanes int
	float bool
	bits  uint // lane width
}{
	I8x16: {"i8x16", 16, false, 8}, I16x8: {"i16x8", 8, false, 16}, I32x4: {"i32x4", 4, false, 32},
	I64x2: {"i64x2", 2, false, 64}, F32x4: {"f32x4", 4, true, 32}, F64x2: {"f64x2", 2, true, 64},
}

var shapeByName = map[string]Shape{
	"i8x16": I8x16, "i16x8": I16x8, "i32x4": I32x4, "i64x2": I64x2, "f32x4": F32x4, "f64x2": F64x2,
}

func (sh Shape) String() string {
	if int(sh) < len(shapeInfo) && sh != 0 {
		return shapeInfo[sh].name
	}
	return "shape?"
}

// Lanes returns the lane count of sh.
func (sh Shape) Lanes() int { return shapeInfo[sh].lanes }

// LaneBytes returns the width of one lane of sh in bytes.
func (sh Shape) LaneBytes() int { return int(shapeInfo[sh].bits / 8) }

// v128Const parses "shape lane*" after v128.const and appends the 16 bytes, lanes
// little-endian. Integer lanes accept the signed and the unsigned range of their width.
func (b *body) v128Const(c *cursor, imm []byte) []byte {
	v, _, _ := b.p.v128Lanes(c, false)
	return append(imm, v[:]...)
}

// v128Lanes parses "shape lane*". With patterns (expected results in scripts), a float
// lane may be nan:canonical or nan:arithmetic instead of a number; nans then holds the
// kind of every lane and those lanes' bytes are zero.
func (s *source) v128Lanes(c *cursor, patterns bool) (v [16]byte, sh Shape, nans []NaNKind) {
	sn := c.next()
	sh = shapeByName[s.keyword(sn)]
	if sh == 0 {
		s.expected(c, sn, "vector shape")
		return v, 0, nil
	}
	info := shapeInfo[sh]
	// Count first, as the reference interpreter does: a wrong count is reported before
	// the value of any lane.
	count := 0
	for ; c.i+count < len(c.nodes); count++ {
		n := c.nodes[c.i+count]
		if !n.isList() && s.isUnknownToken(n) {
			s.unexpected(n) // a lexical error comes before any count
			return v, sh, nil
		}
		if !s.isLaneLiteral(n, patterns) {
			break
		}
	}
	if count != info.lanes {
		s.failf(posOr(c.nodes[c.i:][min(count, info.lanes):], c.end), "wrong number of lane literals: %s needs %d, got %d", info.name, info.lanes, count)
		return v, sh, nil
	}
	var out []byte
	for i := 0; i < info.lanes && s.err == nil; i++ {
		n := c.peek()
		if k := nanPattern(s.keyword(n)); patterns && info.float && k != NaNNone {
			c.next()
			if nans == nil {
				nans = make([]NaNKind, info.lanes)
			}
			nans[i] = k
			out = appendLE(out, 0, int(info.bits/8))
			continue
		}
		var bits uint64
		switch {
		case !info.float:
			bits = s.intLit(c, info.bits)
		case info.bits == 32:
			bits = s.floatLit(c, formatF32)
		default:
			bits = s.floatLit(c, formatF64)
		}
		out = appendLE(out, bits, int(info.bits/8))
	}
	copy(v[:], out)
	return v, sh, nans
}

// isLaneLiteral reports whether n can be a lane: a number (inf and nan included), or
// with patterns a NaN pattern. Anything else means the lanes ran out; in flat text that is
// the next instruction.
func (s *source) isLaneLiteral(n *node, patterns bool) bool {
	switch kw := s.keyword(n); {
	case n.tok.kind == tokAtom, isFloatKeyword(kw):
		return true
	case patterns:
		return nanPattern(kw) != NaNNone
	}
	return false
}

// isFloatKeyword reports whether kw is one of the float literals that lex as keywords.
func isFloatKeyword(kw string) bool {
	return kw == "inf" || kw == "nan" || strings.HasPrefix(kw, "nan:0x")
}

// posOr returns the offset of the first of ns, or def when there is none.
func posOr(ns []*node, def int) int {
	if len(ns) == 0 {
		return def
	}
	return ns[0].tok.pos
}

// laneIdx consumes a lane index of extract_lane, replace_lane and the lane loads and
// stores: an unsigned literal below 256 (a larger one is malformed; one beyond the lane
// count is the validator's "invalid lane index").
func (b *body) laneIdx(c *cursor) byte {
	p := b.p
	n := c.next()
	if n == nil || n.tok.kind != tokAtom {
		p.expected(c, n, "lane index")
		return 0
	}
	v, e := parseUint(p.tokText(n), 64)
	switch {
	case e == litSyntax:
		p.unexpected(n)
	case e == litRange || v > 255:
		p.failAt(n, "malformed lane index %s", p.tokText(n))
	}
	return byte(v)
}

// shuffle consumes the 16 lane indices of i8x16.shuffle.
func (b *body) shuffle(c *cursor, imm []byte) []byte {
	p := b.p
	var lanes []*node
	// Numbers and the float keywords are taken, so that "-1", "15.0" or "inf" are malformed
	// lane indices; an instruction keyword ends the list in flat text.
	for n := c.peek(); n != nil && (n.tok.kind == tokAtom || isFloatKeyword(p.keyword(n))); n = c.peek() {
		lanes = append(lanes, c.next())
	}
	if len(lanes) != 16 {
		at := append(lanes[min(len(lanes), 16):len(lanes):len(lanes)], c.rest()...)
		p.failf(posOr(at, c.end), "invalid lane length: i8x16.shuffle needs 16 lane indices, got %d", len(lanes))
		return imm
	}
	for _, n := range lanes {
		v, e := parseUint(p.tokText(n), 8)
		if e != litOK {
			p.failAt(n, "malformed lane index %s", p.tokText(n))
			return imm
		}
		imm = append(imm, byte(v))
	}
	return imm
}
