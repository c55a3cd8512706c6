package wasmgen

import (
	"math/rand/v2"
	"testing"

	"github.com/wasmc/wasmc/frontend"
)

// TestValid checks the generator's one promise that everything else rests on: every
// module it makes validates, encodes, decodes and lowers.
func TestValid(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		m := Generate(rand.New(rand.NewPCG(seed, 0)), Config{})
		if err := frontend.Validate(m); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		bin := frontend.Encode(m)
		d, err := frontend.Decode(bin)
		if err != nil {
			t.Fatalf("seed %d: decode: %v", seed, err)
		}
		if err := frontend.Validate(d); err != nil {
			t.Fatalf("seed %d: decoded: %v", seed, err)
		}
		if _, err := frontend.Lower(m); err != nil {
			t.Fatalf("seed %d: lower: %v", seed, err)
		}
	}
}

// TestDeterministic: a seed names a module, so a failing seed reproduces.
func TestDeterministic(t *testing.T) {
	a := frontend.Encode(Generate(rand.New(rand.NewPCG(7, 0)), Config{}))
	b := frontend.Encode(Generate(rand.New(rand.NewPCG(7, 0)), Config{}))
	if string(a) != string(b) {
		t.Fatal("same seed, different modules")
	}
}
