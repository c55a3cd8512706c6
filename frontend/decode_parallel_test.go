package frontend_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// decodeBoth decodes buf with the code section's bodies decoded in order by one goroutine
// and by four, whatever its size, and fails unless both give the same module or error.
func decodeBoth(t *testing.T, name string, buf []byte) error {
	t.Helper()
	restore := frontend.DecodeWith(0, 1)
	serial, serr := frontend.Decode(buf)
	restore()
	restore = frontend.DecodeWith(0, 4)
	parallel, perr := frontend.Decode(buf)
	restore()
	if fmt.Sprint(serr) != fmt.Sprint(perr) || !reflect.DeepEqual(serial, parallel) {
		t.Errorf("%s: decoded in parallel: %v, in order: %v (modules equal: %v)", name, perr, serr, reflect.DeepEqual(serial, parallel))
	}
	return serr
}

// TestDecodeParallel checks that a code section decoded by several goroutines gives the
// module decoding in order gives: the large Go module, and a module of many small bodies,
// valid, then malformed in several bodies (the first body's error), in a body and in a
// later body's size (the body's), in a size only, and lacking the data count section
// in several bodies.
func TestDecodeParallel(t *testing.T) {
	buf, err := os.ReadFile(largeModule)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeBoth(t, "gobig", buf); err != nil {
		t.Fatal(err)
	}

	var src strings.Builder
	src.WriteString("(module (memory 1) (data \"x\")\n")
	const n = 500
	for i := range n {
		if i%50 == 7 {
			fmt.Fprintf(&src, "(func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)))\n")
		} else {
			fmt.Fprintf(&src, "(func (drop (i32.const %d)))\n", i+1000)
		}
	}
	src.WriteString(")")
	m, err := wat.ParseModule("m.wat", []byte(src.String()))
	if err != nil {
		t.Fatal(err)
	}
	good := frontend.Encode(m)
	if err := decodeBoth(t, "small bodies", good); err != nil {
		t.Fatal(err)
	}
	dm, err := frontend.Decode(good)
	if err != nil {
		t.Fatal(err)
	}
	// A body's i32.const becomes an opcode that does not exist; a size prefix becomes
	// larger than what follows.
	badBody := func(b []byte, fn int) {
		c := &dm.Codes[fn]
		b[c.Offset] = 0xff
	}
	badSize := func(b []byte, fn int) {
		c := &dm.Codes[fn]
		b[c.Offset-2] = 0xff
		b[c.Offset-1] = 0x7f
	}
	for _, tc := range []struct {
		name   string
		bodies []int
		sizes  []int
		want   string
	}{
		{name: "bodies", bodies: []int{420, 130, 131}, want: "func 130"},
		{name: "body then size", bodies: []int{300}, sizes: []int{450}, want: "func 300"},
		{name: "size then body", bodies: []int{450}, sizes: []int{300}, want: "func 300"},
		{name: "size", sizes: []int{499}, want: "func 499"},
	} {
		b := append([]byte(nil), good...)
		for _, fn := range tc.bodies {
			badBody(b, fn)
		}
		for _, fn := range tc.sizes {
			badSize(b, fn)
		}
		if err := decodeBoth(t, tc.name, b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error in %s", tc.name, err, tc.want)
		}
	}
	m.DataCount = nil
	if err := decodeBoth(t, "no data count", frontend.Encode(m)); err == nil || !strings.Contains(err.Error(), "func 7,") {
		t.Errorf("no data count: %v, want func 7's", err)
	}
}
