package driver_test

import (
	"runtime"
	"testing"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/internal/targettest"
)

// The test builds the parts of a binary module by hand: a text module of a million
// elements would cost its parser more than the build it is meant to measure.
var uleb = frontend.AppendULEB

func section(id byte, body []byte) []byte {
	return append(uleb([]byte{id}, uint64(len(body))), body...)
}

// elemModule is a module of n-element segments, each index one byte: table 0 of n
// elements filled by an active segment of function 1 ($seven), and a passive segment of
// function 2 ($nine). _start checks the last element of each through call_indirect,
// copying the passive one in with table.init, and traps (unreachable) if one is wrong.
func elemModule(n int) []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	m = append(m, section(1, []byte{2, 0x60, 0, 0, 0x60, 0, 1, 0x7f})...) // () -> (), () -> i32
	m = append(m, section(3, []byte{3, 0, 1, 1})...)
	m = append(m, section(4, uleb([]byte{1, 0x70, 0}, uint64(n)))...)
	m = append(m, section(7, []byte{1, 6, '_', 's', 't', 'a', 'r', 't', 0, 0})...)
	elems := []byte{2, 0, 0x41, 0, 0x0b}
	elems = uleb(elems, uint64(n))
	for range n {
		elems = append(elems, 1)
	}
	elems = append(elems, 1, 0)
	elems = uleb(elems, uint64(n))
	for range n {
		elems = append(elems, 2)
	}
	m = append(m, section(9, elems)...)
	last := func(b []byte) []byte { // i32.const n-1
		b = append(b, 0x41)
		for v := int64(n - 1); ; { // signed LEB128
			c := byte(v & 0x7f)
			v >>= 7
			if v == 0 && c&0x40 == 0 {
				return append(b, c)
			}
			b = append(b, c|0x80)
		}
	}
	var start []byte
	check := func(want byte) { // call_indirect type 1 at n-1; unreachable unless want
		start = last(start)
		start = append(start, 0x11, 1, 0, 0x41, want, 0x47, 0x04, 0x40, 0x00, 0x0b)
	}
	check(7)
	start = last(start)
	start = last(start)
	start = append(start, 0x41, 1, 0xfc, 12, 1, 0) // table.init elem 1, table 0: d, s, 1
	check(9)
	start = append(start, 0x0b)
	body := func(code []byte) []byte { return uleb(nil, uint64(len(code)+1)) }
	codes := []byte{3}
	codes = append(append(append(codes, body(start)...), 0), start...)
	for _, v := range []byte{7, 9} {
		codes = append(codes, 4, 0, 0x41, v, 0x0b)
	}
	m = append(m, section(10, codes)...)
	return m
}

// TestBuildLargeElemSegments builds a module of two segments of a million one-byte
// function indices (issue 19, finding 4) and bounds what the build allocates per byte of
// module and the executable's size per element, then runs it, for each target. Before
// segments were compact, the build allocated about 250 bytes per element (a 30 MB module
// ran out of memory) and the executable held 8 bytes and a relocation per element.
func TestBuildLargeElemSegments(t *testing.T) {
	const n = 1 << 20
	wasm := elemModule(n)
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		o := options(x.ISA, 2)
		o.Verify, o.CheckAllocations = false, false
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		exe, err := driver.Build([]driver.Input{{Path: "elems.wasm", Data: wasm}}, o)
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(wasm))
		perElem := float64(len(exe)-(1<<20)) / (2 * n) // beside a generous megabyte of the rest
		t.Logf("%d bytes of module: %.1f bytes allocated per byte; %d bytes of executable", len(wasm), perByte, len(exe))
		if perByte > 40 {
			t.Errorf("allocated %.1f bytes per byte of module, more than 40", perByte)
		}
		if perElem > 4 {
			t.Errorf("the executable is %d bytes, %.1f per element beyond a megabyte, more than 4", len(exe), perElem)
		}
		if stderr, status := runExe(t, x.Runner, exe); status != 0 || stderr != "" {
			t.Errorf("status %d, stderr %q", status, stderr)
		}
	})
}
