package frontend

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// reader reads the primitive encodings of the binary format from a byte slice. base is
// the file offset of buf[0], so that errors name file offsets. The first error sticks: every
// later read returns zero values, and callers check err once per item.
type reader struct {
	buf  []byte
	pos  int
	base int64
	err  error
}

func (r *reader) offset() int64 { return r.base + int64(r.pos) }

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = &DecodeError{Offset: r.offset(), Func: -1, Err: err}
	}
}

func (r *reader) failf(format string, args ...any) { r.fail(fmt.Errorf(format, args...)) }

func (r *reader) eof() bool { return r.pos >= len(r.buf) }

func (r *reader) remaining() int { return len(r.buf) - r.pos }

func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.buf) {
		r.fail(ErrUnexpectedEOF)
		return 0
	}
	b := r.buf[r.pos]
	r.pos++
	return b
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.buf)-r.pos {
		r.fail(ErrUnexpectedEOF)
		return nil
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b
}

// uleb reads an unsigned LEB128 of at most bits bits: at most ceil(bits/7) bytes, and the
// unused bits of the last byte must be zero.
func (r *reader) uleb(bits uint) uint64 {
	// A LEB128 that ends before its last permitted byte can be neither too long nor too
	// large, so it needs none of the checks below: most multi-byte ones (br_table labels,
	// offsets).
	if r.err == nil {
		var v uint64
		var shift uint
		for i := r.pos; i < len(r.buf) && shift+7 < bits; i++ {
			b := r.buf[i]
			v |= uint64(b&0x7F) << shift
			if b < 0x80 {
				r.pos = i + 1
				return v
			}
			shift += 7
		}
	}
	var v uint64
	var shift uint
	for i := 0; ; i++ {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if shift+7 >= bits && shift < bits { // last permitted byte
			rest := bits - shift
			if b&0x80 != 0 {
				r.pos--
				r.fail(ErrIntTooLong)
				return 0
			}
			if rest < 7 && b>>rest != 0 {
				r.pos--
				r.fail(ErrIntTooLarge)
				return 0
			}
			return v | uint64(b)<<shift
		}
		v |= uint64(b&0x7F) << shift
		if b&0x80 == 0 {
			return v
		}
		shift += 7
	}
}

// sleb reads a signed LEB128 of at most bits bits; the unused bits of the last byte must be
// a sign extension of the value's top bit.
func (r *reader) sleb(bits uint) int64 {
	// One byte holds 7 value bits, so it is never too long or too large here: the fast
	// path of small constants and block types.
	if r.pos < len(r.buf) && r.buf[r.pos] < 0x80 && bits > 7 && r.err == nil {
		r.pos++
		return int64(int8(r.buf[r.pos-1]<<1) >> 1)
	}
	// Nor is one that ends before its last permitted byte: the multi-byte constants
	// (addresses, Go's 64-bit values) skip the checks of the loop below.
	if r.err == nil {
		var v int64
		var shift uint
		for i := r.pos; i < len(r.buf) && shift+7 < bits; i++ {
			b := r.buf[i]
			v |= int64(b&0x7F) << shift
			shift += 7
			if b < 0x80 {
				if b&0x40 != 0 {
					v |= -1 << shift // shift < bits <= 64
				}
				r.pos = i + 1
				return v
			}
		}
	}
	var v int64
	var shift uint
	for {
		b := r.byte()
		if r.err != nil {
			return 0
		}
		if shift+7 >= bits { // last permitted byte
			if b&0x80 != 0 {
				r.pos--
				r.fail(ErrIntTooLong)
				return 0
			}
			rest := bits - shift // value bits in this byte, including the sign bit
			if rest < 7 {
				// bits rest-1 .. 6 must all equal the sign bit.
				top := int8(b<<1) >> (rest) // sign-extended high part
				if top != 0 && top != -1 {
					r.pos--
					r.fail(ErrIntTooLarge)
					return 0
				}
			}
			v |= int64(b&0x7F) << shift
			shift += 7
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
		v |= int64(b&0x7F) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
}

// u32 reads an unsigned LEB128 of at most 32 bits. Most indices and counts take one
// byte, and code is read several times per build (decoding, validation, lowering), so
// that case skips uleb's loop.
func (r *reader) u32() uint32 {
	if p := r.pos; p < len(r.buf) && r.buf[p] < 0x80 && r.err == nil {
		r.pos = p + 1
		return uint32(r.buf[p])
	}
	return uint32(r.uleb(32))
}

func (r *reader) f32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func (r *reader) f64() uint64 {
	b := r.bytes(8)
	if b == nil {
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// count reads a vector length and checks it against the bytes left, given that each element
// takes at least minSize bytes, so that a hostile count cannot make the caller allocate.
func (r *reader) count(minSize int) int {
	start := r.pos
	n := r.u32()
	if r.err != nil {
		return 0
	}
	if minSize > 0 && uint64(n) > uint64(r.remaining()/minSize) {
		r.pos = start
		r.failf("length out of bounds")
		return 0
	}
	if n > math.MaxInt32 {
		r.pos = start
		r.failf("length out of bounds")
		return 0
	}
	return int(n)
}

// name reads a UTF-8 name.
func (r *reader) name() string {
	start := r.pos
	n := r.u32()
	b := r.bytes(int(min(uint64(n), math.MaxInt32)))
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.pos = start
		r.failf("malformed UTF-8 encoding")
		return ""
	}
	return string(b)
}
