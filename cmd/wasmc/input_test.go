package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadInput: a module large enough to be mapped reads as its bytes, and writing to
// them changes nothing in the file; a small one and a missing one read as os.ReadFile's.
func TestReadInput(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, mapInputMin+12345)
	for i := range big {
		big[i] = byte(i * 7)
	}
	for _, want := range [][]byte{big, []byte("\x00asm\x01\x00\x00\x00")} {
		path := filepath.Join(dir, "m.wasm")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readInput(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: read %d, %v", len(want), len(got), err)
		}
		got[0]++
		if after, _ := os.ReadFile(path); !bytes.Equal(after, want) {
			t.Errorf("%d bytes: writing to what readInput returned changed the file", len(want))
		}
	}
	if _, err := readInput(filepath.Join(dir, "missing.wasm")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v, want a not-exist error", err)
	}
}
