package amd64

import (
	"reflect"
	"testing"

	"github.com/wasmc/wasmc/ir"
)

// TestCallConvOfReuse checks that callConvOf, which keeps the last signature's
// convention, gives convOf's answer for repeated, changed and rewritten signatures.
func TestCallConvOfReuse(t *testing.T) {
	scratch := []ir.Type{ir.I32, ir.I64, ir.F64}
	sigs := []ir.Signature{
		{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}},
		{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}},
		{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.F32}},
		{Params: []ir.Type{ir.F64, ir.I64}},
		{Params: scratch[:2], Results: scratch[2:]},
		{},
		{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}},
	}
	l := &lowerer{}
	for i, sig := range sigs {
		if i == 5 {
			scratch[0] = ir.F32 // the runtime's signatures are rewritten in place
			sig = ir.Signature{Params: scratch[:2], Results: scratch[2:]}
		}
		got, want := l.callConvOf(sig), convOf(sig)
		if len(got.params) != len(want.params) || len(got.results) != len(want.results) ||
			(len(want.params) > 0 && !reflect.DeepEqual(got.params, want.params)) ||
			(len(want.results) > 0 && !reflect.DeepEqual(got.results, want.results)) ||
			got.stackParams != want.stackParams || got.stackResults != want.stackResults {
			t.Errorf("signature %d %v: callConvOf = %+v, convOf = %+v", i, sig, got, want)
		}
	}
}
