package frontend

import (
	"os"
	"path/filepath"
	"testing"
)

// largeModule is the large Go module of the benchmarks: a real GOOS=wasip1 program built
// from testdata/programs/gobig (about 6.5 MB, 4.4k functions).
var largeModule = filepath.Join("..", "testdata", "programs", "gobig", "gobig.wasm")

func readLarge(tb testing.TB) []byte {
	buf, err := os.ReadFile(largeModule)
	if err != nil {
		tb.Fatal(err)
	}
	return buf
}

// decodeLarge reads and decodes the large Go module, for the tests that compare a fast
// path with the general one over every body of a real program.
func decodeLarge(tb testing.TB) *Module {
	m, err := Decode(readLarge(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkDecode measures decoding in MB/s of module.
func BenchmarkDecode(b *testing.B) {
	buf := readLarge(b)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := Decode(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate measures validation alone, in MB/s of module.
func BenchmarkValidate(b *testing.B) {
	buf := readLarge(b)
	m, err := Decode(buf)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if err := Validate(m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeModule keeps the benchmark input honest: it must decode and validate.
func TestLargeModule(t *testing.T) {
	buf, err := os.ReadFile(largeModule)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(m); err != nil {
		t.Fatal(err)
	}
	if len(m.Codes) < 4000 || m.Names == nil {
		t.Errorf("large module: %d functions, names %v; want > 4000 functions and a name section", len(m.Codes), m.Names != nil)
	}
}
