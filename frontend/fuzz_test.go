package frontend

import (
	"bytes"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds Decode arbitrary bytes, seeded with testdata/*.wasm and the hand-made
// binaries of the decode tests. Properties: Decode never panics, every error is a
// *DecodeError with an offset inside the input, and a decoded module re-encodes to bytes
// that decode to an equal module and re-encode to the same bytes (Encode is canonical).
// Crashers that `go test -fuzz` saves under testdata/fuzz/FuzzDecode are committed and
// run as regression cases by plain `go test`.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.wasm")
	for _, name := range files {
		f.Add(readTestdata(f, filepath.Base(name)))
	}
	for _, b := range [][]byte{
		bin(typeVoid, funcs1, "\x05\x03\x01\x00\x00", "\x0c\x01\x01",
			code("\x01\x02\x7f\x41\x00\x41\x00\x41\x00\xfc\x08\x00\x00\x02\x40\x0b\x0b"), "\x0b\x03\x01\x01\x00"),
		bin(sec(secElement, "\x02", "\x02\x00\x41\x00\x0b\x00\x01\x00", "\x06\x00\x41\x00\x0b\x70\x01\xd0\x70\x0b")),
		bin("\x00\x03\x01a1", typeVoid, sec(secCustom, "\x04name", "\x01\x04\x01\x00\x01f"), funcs1, code("\x00\x0b")),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		m, err := Decode(in)
		if err != nil {
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("error %T %v, want *DecodeError", err, err)
			}
			if de.Offset < 0 || de.Offset > int64(len(in)) || de.Err == nil {
				t.Fatalf("error %v: offset outside the input (%d bytes)", err, len(in))
			}
			return
		}
		b := roundTrip(t, m)
		if b2 := Encode(mustDecode(t, b)); !bytes.Equal(b, b2) {
			t.Fatalf("Encode not canonical:\n% x\n% x", b, b2)
		}
	})
}

func mustDecode(t *testing.T, b []byte) *Module {
	t.Helper()
	m, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
