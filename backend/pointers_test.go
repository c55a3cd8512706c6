package backend

import (
	"cmp"
	"math/rand"
	"slices"
	"testing"
)

// sortedPointerFault is validatePointers as it was first written: sort a copy and report the
// first faulty pointer in (segment, offset) order. The linear check must agree with it.
func sortedPointerFault(img *Image) error {
	ptrs := slices.Clone(img.Pointers)
	slices.SortFunc(ptrs, func(a, b Pointer) int {
		return cmp.Or(cmp.Compare(a.Seg, b.Seg), cmp.Compare(a.Off, b.Off))
	})
	for i, p := range ptrs {
		if p.Seg != SegRodata && p.Seg != SegData {
			return imageErr("pointer in %v segment", p.Seg)
		}
		n := uint64(len(img.Segment(p.Seg).Data))
		if p.Off%8 != 0 || p.Off > n || n-p.Off < 8 {
			return imageErr("pointer at %v+%#x is unaligned or not within the segment's %#x bytes", p.Seg, p.Off, n)
		}
		if i > 0 && ptrs[i-1] == p {
			return imageErr("pointer at %v+%#x listed twice", p.Seg, p.Off)
		}
	}
	return nil
}

// TestValidatePointersLowestFault gives random pointer lists, most of them with faults
// (duplicates, misaligned or out-of-segment fields, pointers into text), in random order,
// and requires the same verdict and message as sorting would give.
func TestValidatePointersLowestFault(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	faults := 0
	for range 3000 {
		img := &Image{}
		img.Rodata.Data = make([]byte, 8*r.Intn(12)+r.Intn(3))
		img.Data.Data = make([]byte, 8*r.Intn(12))
		img.Text.Data = make([]byte, 64)
		for range r.Intn(20) {
			p := Pointer{Seg: SegKind(1 + r.Intn(2)), Off: 8 * uint64(r.Intn(13))}
			switch r.Intn(12) {
			case 0:
				p.Off += uint64(1 + r.Intn(7))
			case 1:
				p.Seg = SegText
			case 2:
				p.Seg = NumSegKinds + SegKind(r.Intn(2))
			case 3:
				p.Off = ^uint64(0) - uint64(r.Intn(8))
			}
			img.Pointers = append(img.Pointers, p)
			if r.Intn(4) == 0 {
				img.Pointers = append(img.Pointers, p)
			}
		}
		r.Shuffle(len(img.Pointers), func(i, j int) {
			img.Pointers[i], img.Pointers[j] = img.Pointers[j], img.Pointers[i]
		})
		want, got := sortedPointerFault(img), img.validatePointers()
		if want != nil {
			faults++
		}
		if (want == nil) != (got == nil) || want != nil && want.Error() != got.Error() {
			t.Fatalf("pointers %v in rodata of %d and data of %d bytes:\ngot  %v\nwant %v",
				img.Pointers, len(img.Rodata.Data), len(img.Data.Data), got, want)
		}
	}
	if faults < 1000 || faults > 2900 {
		t.Fatalf("%d of 3000 lists were faulty: the test no longer mixes good and bad lists", faults)
	}
}
