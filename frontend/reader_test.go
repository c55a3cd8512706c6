package frontend

import (
	"errors"
	"math"
	"testing"
)

// lebCase is one LEB128 input: the value and length it decodes to, or the error and the
// offset of the byte it names. The reader's base is 0x100, so offsets are file offsets.
type lebCase struct {
	in   string
	want int64 // the value, bit pattern for unsigned 64
	n    int   // bytes consumed
	err  error
	at   int64 // error offset
}

const lebBase = 0x100

// checkLEB runs one case through read and compares value, length, error and offset.
func checkLEB(t *testing.T, name string, c lebCase, read func(*reader) int64) {
	t.Helper()
	r := reader{buf: []byte(c.in), base: lebBase}
	got := read(&r)
	if c.err != nil {
		var de *DecodeError
		if !errors.As(r.err, &de) || !errors.Is(r.err, c.err) {
			t.Errorf("%s(% x): error %v, want %v", name, c.in, r.err, c.err)
			return
		}
		if de.Offset != lebBase+c.at {
			t.Errorf("%s(% x): error at 0x%x, want 0x%x", name, c.in, de.Offset, lebBase+c.at)
		}
		return
	}
	if r.err != nil {
		t.Errorf("%s(% x): unexpected error %v", name, c.in, r.err)
		return
	}
	if got != c.want || r.pos != c.n {
		t.Errorf("%s(% x) = %d after %d bytes, want %d after %d", name, c.in, got, r.pos, c.want, c.n)
	}
}

// TestU32 covers the unsigned 32-bit rules: at most 5 bytes, and the last of five may use
// only its low 4 bits.
func TestU32(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x00", want: 0, n: 1},
		{in: "\x7f", want: 127, n: 1},
		{in: "\x80\x01", want: 128, n: 2},
		{in: "\x80\x00", want: 0, n: 2}, // non-minimal but in length: allowed
		{in: "\x80\x80\x80\x80\x00", want: 0, n: 5},
		{in: "\xff\xff\xff\xff\x0f", want: math.MaxUint32, n: 5},
		{in: "\xe5\x8e\x26\x01", want: 624485, n: 3}, // trailing byte left unread
		{in: "\xff\xff\xff\xff\x1f", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x10", err: ErrIntTooLarge, at: 4}, // 2^32
		{in: "\x80\x80\x80\x80\x70", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x80\x00", err: ErrIntTooLong, at: 4},
		{in: "\x82\x80\x80\x80\x80\x00", err: ErrIntTooLong, at: 4},
		{in: "", err: ErrUnexpectedEOF, at: 0},
		{in: "\x80", err: ErrUnexpectedEOF, at: 1},
		{in: "\xff\xff\xff\xff", err: ErrUnexpectedEOF, at: 4},
	} {
		checkLEB(t, "u32", c, func(r *reader) int64 { return int64(r.u32()) })
	}
}

// TestU64 covers the unsigned 64-bit rules: ten bytes, the tenth holding one bit.
func TestU64(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x00", want: 0, n: 1},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", want: -1, n: 10}, // 2^64-1
		{in: "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", want: 0, n: 10},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", err: ErrIntTooLarge, at: 9},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", err: ErrIntTooLarge, at: 9},
		{in: "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", err: ErrIntTooLong, at: 9},
	} {
		checkLEB(t, "u64", c, func(r *reader) int64 { return int64(r.uleb(64)) })
	}
}

// TestU1 covers the one-bit flag of limits: 0 or 1, and a continuation is too long.
func TestU1(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x00", want: 0, n: 1},
		{in: "\x01", want: 1, n: 1},
		{in: "\x02", err: ErrIntTooLarge, at: 0},
		{in: "\x81\x00", err: ErrIntTooLong, at: 0},
		{in: "\x80\x00", err: ErrIntTooLong, at: 0},
	} {
		checkLEB(t, "u1", c, func(r *reader) int64 { return int64(r.uleb(1)) })
	}
}

// TestS32 covers the signed 32-bit rules: at most 5 bytes, and bits 4-6 of the fifth must
// repeat the sign bit (bit 3).
func TestS32(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x00", want: 0, n: 1},
		{in: "\x3f", want: 63, n: 1},
		{in: "\x40", want: -64, n: 1},
		{in: "\x7f", want: -1, n: 1},
		{in: "\xc0\x00", want: 64, n: 2},
		{in: "\xff\x7f", want: -1, n: 2}, // non-minimal: allowed
		{in: "\xff\xff\xff\xff\x07", want: math.MaxInt32, n: 5},
		{in: "\x80\x80\x80\x80\x78", want: math.MinInt32, n: 5},
		{in: "\xff\xff\xff\xff\x7f", want: -1, n: 5},
		{in: "\x80\x80\x80\x80\x00", want: 0, n: 5},
		{in: "\xff\xff\xff\xff\x0f", err: ErrIntTooLarge, at: 4}, // 2^32-1: sign bit 0, bits above 1
		{in: "\x80\x80\x80\x80\x70", err: ErrIntTooLarge, at: 4}, // sign 0, unused bits set
		{in: "\xff\xff\xff\xff\x77", err: ErrIntTooLarge, at: 4}, // sign 0 with bits 4-6 set
		{in: "\x80\x80\x80\x80\x08", err: ErrIntTooLarge, at: 4}, // sign 1 with bits 4-6 clear
		{in: "\xff\xff\xff\xff\x4f", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x80\x00", err: ErrIntTooLong, at: 4},
		{in: "\xff\xff\xff\xff\xff\x7f", err: ErrIntTooLong, at: 4},
		{in: "\xff", err: ErrUnexpectedEOF, at: 1},
	} {
		checkLEB(t, "s32", c, func(r *reader) int64 { return r.sleb(32) })
	}
}

// TestS33 covers block types' signed 33-bit rules: five bytes, bits 5-6 of the fifth
// repeat the sign bit (bit 4).
func TestS33(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x40", want: -64, n: 1},
		{in: "\xff\xff\xff\xff\x0f", want: math.MaxUint32, n: 5},
		{in: "\xff\xff\xff\xff\x7f", want: -1, n: 5},
		{in: "\x80\x80\x80\x80\x70", want: -1 << 32, n: 5},
		{in: "\xff\xff\xff\xff\x1f", err: ErrIntTooLarge, at: 4}, // sign 1, bits 5-6 clear
		{in: "\x80\x80\x80\x80\x10", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x20", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x60", err: ErrIntTooLarge, at: 4},
		{in: "\x80\x80\x80\x80\x80\x00", err: ErrIntTooLong, at: 4},
	} {
		checkLEB(t, "s33", c, func(r *reader) int64 { return r.sleb(33) })
	}
}

// TestS64 covers the signed 64-bit rules: ten bytes, the tenth all sign (0x00 or 0x7f).
func TestS64(t *testing.T) {
	for _, c := range []lebCase{
		{in: "\x7f", want: -1, n: 1},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00", want: math.MaxInt64, n: 10},
		{in: "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", want: math.MinInt64, n: 10},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", want: -1, n: 10},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", err: ErrIntTooLarge, at: 9},
		{in: "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7e", err: ErrIntTooLarge, at: 9},
		{in: "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x40", err: ErrIntTooLarge, at: 9},
		{in: "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", err: ErrIntTooLong, at: 9},
	} {
		checkLEB(t, "s64", c, func(r *reader) int64 { return r.sleb(64) })
	}
}

// TestLength covers vector lengths and byte counts: a length past the bytes left counted
// from its own first byte is out of bounds; one that overshoots by less runs into the end.
func TestLength(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  string
		at   int64
	}{
		{in: "\x00", want: 0},
		{in: "\x02ab", want: 2},
		{in: "\x03ab", err: "unexpected end", at: 3},                 // 3 <= 3 bytes from the length on
		{in: "\x04ab", err: "length out of bounds", at: 0},           // 4 > 3
		{in: "\x83\x80\x80\x80\x00ab", err: "unexpected end", at: 7}, // 3 <= 7: runs out
		{in: "\xff\xff\xff\xff\x0f", err: "length out of bounds", at: 0},
	} {
		r := reader{buf: []byte(c.in), base: lebBase}
		n := r.length()
		if c.err == "" {
			if r.err != nil || n != c.want {
				t.Errorf("length(% x) = %d, %v; want %d", c.in, n, r.err, c.want)
			}
			continue
		}
		var de *DecodeError
		if !errors.As(r.err, &de) || de.Err.Error() != c.err {
			t.Errorf("length(% x): error %v, want %q", c.in, r.err, c.err)
			continue
		}
		if de.Offset != lebBase+c.at {
			t.Errorf("length(% x): error at 0x%x, want 0x%x", c.in, de.Offset, lebBase+c.at)
		}
	}
}

// TestUTF8Name checks names against the spec's UTF-8 rules: no overlong forms, surrogates
// or code points past U+10FFFF; the error names the name's first byte.
func TestUTF8Name(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"\x00", "", true},
		{"\x03abc", "abc", true},
		{"\x04\xf0\x9f\x98\x80", "\U0001F600", true},
		{"\x02\xc0\x80", "", false},     // overlong NUL
		{"\x03\xed\xa0\x80", "", false}, // surrogate U+D800
		{"\x04\xf4\x90\x80\x80", "", false},
		{"\x01\x80", "", false},
	} {
		r := reader{buf: []byte(c.in), base: lebBase}
		got := r.utf8Name()
		if c.ok {
			if r.err != nil || got != c.want {
				t.Errorf("utf8Name(% x) = %q, %v; want %q", c.in, got, r.err, c.want)
			}
			continue
		}
		var de *DecodeError
		if !errors.As(r.err, &de) || de.Err.Error() != "malformed UTF-8 encoding" || de.Offset != lebBase {
			t.Errorf("utf8Name(% x): error %v, want malformed UTF-8 encoding at 0x%x", c.in, r.err, lebBase)
		}
	}
}
