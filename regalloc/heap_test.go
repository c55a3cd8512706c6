package regalloc

import (
	"math/rand"
	"reflect"
	"testing"
)

// hasPointers reports whether a value of type t holds a pointer the collector traces.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func,
		reflect.Interface, reflect.String, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// TestIntervalHeapSiftsNoPointers: the scan's heap of unhandled intervals moves items that
// hold no pointer (issue 21), since every pointer it moved while the collector ran was a
// write barrier, and sifting was a fifth of the scan; it still pops in key order, and
// gives back the interval pushed with each key.
func TestIntervalHeapSiftsNoPointers(t *testing.T) {
	if typ := reflect.TypeFor[heapItem](); hasPointers(typ) {
		t.Errorf("the heap's items (%v) hold pointers", typ)
	}
	var h intervalHeap
	rng := rand.New(rand.NewSource(1))
	its := make([]interval, 500)
	keyOf := map[*interval]uint64{}
	for i := range its {
		k := rng.Uint64() >> 1
		keyOf[&its[i]] = k
		h.push(k, &its[i])
	}
	last := uint64(0)
	for n := 0; h.len() > 0; n++ {
		it := h.pop()
		k, ok := keyOf[it]
		if !ok || k < last {
			t.Fatalf("pop %d gave key %d after %d (known %v)", n, k, last, ok)
		}
		last = k
		delete(keyOf, it)
	}
	if len(keyOf) != 0 {
		t.Errorf("%d intervals never popped", len(keyOf))
	}
	h.reset()
	if len(h.its) != 0 || cap(h.its) > 0 && h.its[:1][0] != nil {
		t.Errorf("reset keeps the intervals")
	}
}
