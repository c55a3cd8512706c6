package wat

import "testing"

func TestParseInt(t *testing.T) {
	tests := []struct {
		text string
		bits uint
		want uint64
		err  litErr
	}{
		{"0", 32, 0, litOK},
		{"4294967295", 32, 0xFFFFFFFF, litOK},
		{"4294967296", 32, 0, litRange},
		{"0xffff_ffff", 32, 0xFFFFFFFF, litOK},
		{"0x1_0000_0000", 32, 0, litRange},
		{"-2147483648", 32, 0x80000000, litOK},
		{"-2147483649", 32, 0, litRange},
		{"-0x8000_0000", 32, 0x80000000, litOK},
		{"+2147483647", 32, 0x7FFFFFFF, litOK},
		{"+2147483648", 32, 0, litRange}, // a signed form must fit the signed range
		{"-1", 32, 0xFFFFFFFF, litOK},
		{"-0", 32, 0, litOK},
		{"18446744073709551615", 64, 0xFFFFFFFFFFFFFFFF, litOK},
		{"18446744073709551616", 64, 0, litRange},
		{"-9223372036854775808", 64, 0x8000000000000000, litOK},
		{"-9223372036854775809", 64, 0, litRange},
		{"0x7fff_ffff_ffff_ffff", 64, 0x7FFFFFFFFFFFFFFF, litOK},
		{"99999999999999999999999", 64, 0, litRange},
		{"255", 8, 0xFF, litOK},
		{"-128", 8, 0x80, litOK},
		{"256", 8, 0, litRange},
		{"-129", 8, 0, litRange},
		{"1_000", 32, 1000, litOK},
		{"_100", 32, 0, litSyntax},
		{"100_", 32, 0, litSyntax},
		{"1__0", 32, 0, litSyntax},
		{"0x", 32, 0, litSyntax},
		{"0x_1", 32, 0, litSyntax},
		{"0_x1", 32, 0, litSyntax},
		{"0X1", 32, 0, litSyntax},
		{"1.0", 32, 0, litSyntax},
		{"+-1", 32, 0, litSyntax},
		{"", 32, 0, litSyntax},
		{"-", 32, 0, litSyntax},
	}
	for _, tt := range tests {
		got, err := parseInt(tt.text, tt.bits)
		if err != tt.err || (err == litOK && got != tt.want) {
			t.Errorf("parseInt(%q, %d) = %#x, %d; want %#x, %d", tt.text, tt.bits, got, err, tt.want, tt.err)
		}
	}
}

func TestParseUint(t *testing.T) {
	tests := []struct {
		text string
		want uint64
		err  litErr
	}{
		{"4294967295", 0xFFFFFFFF, litOK},
		{"0x1_0000_0000", 0, litRange},
		{"+1", 0, litSyntax}, // indices and limits take no sign
		{"-1", 0, litSyntax},
	}
	for _, tt := range tests {
		got, err := parseUint(tt.text, 32)
		if err != tt.err || got != tt.want {
			t.Errorf("parseUint(%q) = %#x, %d; want %#x, %d", tt.text, got, err, tt.want, tt.err)
		}
	}
}

func TestParseFloat32(t *testing.T) {
	tests := []struct {
		text string
		want uint32
		err  litErr
	}{
		{"0", 0, litOK},
		{"-0", 0x80000000, litOK},
		{"+0.0", 0, litOK},
		{"1", 0x3F800000, litOK},
		{"1.5", 0x3FC00000, litOK},
		{"1.", 0x3F800000, litOK},
		{"1.e1", 0x41200000, litOK},
		{"1E1", 0x41200000, litOK},
		{"1_000.000_1", 0x447A0002, litOK},
		{"0x1.8p3", 0x41400000, litOK},
		{"0x1P3", 0x41000000, litOK},
		{"0x1", 0x3F800000, litOK},
		{"0x1.", 0x3F800000, litOK},
		{"0xA.8p0", 0x41280000, litOK},
		{"inf", 0x7F800000, litOK},
		{"-inf", 0xFF800000, litOK},
		{"nan", 0x7FC00000, litOK},
		{"-nan", 0xFFC00000, litOK},
		{"+nan", 0x7FC00000, litOK},
		{"nan:0x1", 0x7F800001, litOK},
		{"-nan:0x7f_ffff", 0xFFFFFFFF, litOK},
		{"nan:0x200000", 0x7FA00000, litOK},
		{"nan:0x0", 0, litRange},
		{"nan:0x80_0000", 0, litRange},
		// The largest float32, and the boundary above which rounding gives infinity.
		{"0x1.fffffep127", 0x7F7FFFFF, litOK},
		{"0x1.fffffefffffffffffp127", 0x7F7FFFFF, litOK},
		{"0x1.ffffffp127", 0, litRange}, // exactly halfway: ties to even, to infinity
		{"3.4028234663852886e38", 0x7F7FFFFF, litOK},
		{"340282356779733661637539395458142568447", 0x7F7FFFFF, litOK},
		{"340282356779733661637539395458142568448", 0, litRange}, // halfway
		{"-340282356779733661637539395458142568448", 0, litRange},
		{"1e39", 0, litRange},
		// Subnormals and underflow.
		{"0x1p-149", 0x00000001, litOK},
		{"0x1p-150", 0, litOK},            // halfway to the smallest subnormal: to even, zero
		{"0x1.000001p-150", 1, litOK},     // just above halfway
		{"-0x1p-1000", 0x80000000, litOK}, // underflow keeps the sign
		{"1e-50", 0, litOK},
		// Double rounding: through float64 these would round to 1.0 (the float64 result
		// is exactly halfway between two float32s); rounded directly they round up.
		{"0x1.000001000000001p0", 0x3F800001, litOK},
		{"1.0000000596046447753906250000000001", 0x3F800001, litOK},
		{"1.000000059604644775390625", 0x3F800000, litOK}, // exactly halfway: to even
		{"0x1.000003p0", 0x3F800002, litOK},               // halfway, odd below: up
		// Syntax the spec rejects although strconv would not.
		{".5", 0, litSyntax},
		{"1e", 0, litSyntax},
		{"1.e", 0, litSyntax},
		{"1._0", 0, litSyntax},
		{"1.0_", 0, litSyntax},
		{"1e_1", 0, litSyntax},
		{"0x.8p0", 0, litSyntax},
		{"0x1p", 0, litSyntax},
		{"0x1.0p_1", 0, litSyntax},
		{"infinity", 0, litSyntax},
		{"Inf", 0, litSyntax},
		{"nan:0x", 0, litSyntax},
		{"nan:1", 0, litSyntax},
		{"0x1e", 0x41F00000, litOK}, // a hex digit, not an exponent
	}
	for _, tt := range tests {
		got, err := parseFloat(tt.text, formatF32)
		if err != tt.err || (err == litOK && got != uint64(tt.want)) {
			t.Errorf("parseFloat(%q, f32) = %#x, %d; want %#x, %d", tt.text, got, err, tt.want, tt.err)
		}
	}
}

func TestParseFloat64(t *testing.T) {
	tests := []struct {
		text string
		want uint64
		err  litErr
	}{
		{"1", 0x3FF0000000000000, litOK},
		{"-0x1.fffffffffffffp1023", 0xFFEFFFFFFFFFFFFF, litOK},
		{"0x1.fffffffffffff8p1023", 0, litRange}, // halfway to the next: to infinity
		{"0x1p-1074", 1, litOK},
		{"0x1p-1075", 0, litOK},
		{"4.9406564584124654e-324", 1, litOK},
		{"nan", 0x7FF8000000000000, litOK},
		{"nan:0xf_ffff_ffff_ffff", 0x7FFFFFFFFFFFFFFF, litOK},
		{"nan:0x10_0000_0000_0000", 0, litRange},
		{"-inf", 0xFFF0000000000000, litOK},
		{"1e308", 0x7FE1CCF385EBC8A0, litOK},
		{"1e309", 0, litRange},
		{"0x1p+1000000000000000000000", 0, litRange},
		{"0x1p-1000000000000000000000", 0, litOK},
		{"1_2.3_4e+0_1", 0x405ED9999999999A, litOK}, // 123.4
	}
	for _, tt := range tests {
		got, err := parseFloat(tt.text, formatF64)
		if err != tt.err || (err == litOK && got != tt.want) {
			t.Errorf("parseFloat(%q, f64) = %#x, %d; want %#x, %d", tt.text, got, err, tt.want, tt.err)
		}
	}
}
