package main

import "testing"

// TestLimitFlags: --max-memory takes a size with a unit and must be whole 64 KiB pages up
// to 4 GiB; --max-table-elements a count a table can hold.
func TestLimitFlags(t *testing.T) {
	for _, tc := range []struct {
		memory         string
		tables         uint64
		wantMem, wantT uint64
		ok             bool
	}{
		{"4GiB", 10_000_000, 1 << 32, 10_000_000, true},
		{"512MiB", 1, 512 << 20, 1, true},
		{"1G", 1<<32 - 1, 1 << 30, 1<<32 - 1, true},
		{"65536", 5, 65536, 5, true},
		{"64K", 5, 65536, 5, true},
		{"100000", 5, 0, 0, false}, // not whole pages
		{"8G", 5, 0, 0, false},
		{"0", 5, 0, 0, false},
		{"1X", 5, 0, 0, false},
		{"1G", 0, 0, 0, false},
		{"1G", 1 << 32, 0, 0, false},
	} {
		l := limitFlags{memory: tc.memory, tables: tc.tables}
		mem, tables, err := l.values()
		if (err == nil) != tc.ok || tc.ok && (mem != tc.wantMem || tables != tc.wantT) {
			t.Errorf("--max-memory %s --max-table-elements %d: %d, %d, %v", tc.memory, tc.tables, mem, tables, err)
		}
	}
}
