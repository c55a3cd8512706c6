package machorun

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"strings"
)

// This file turns the struct types of Go's darwin tables into C structs for darwin.h. Go's
// cgo -godefs writes them with every padding field explicit (or relies on natural alignment,
// which C and Go's 64-bit layouts share), so the C struct has the same layout; each struct's
// size, computed here from the Go declaration, is checked by a static assertion that
// catches a field translated to a C type of another size.

// cType is a Go field type's C spelling (the declarator is split into the element type
// and array suffix), size and alignment.
type cType struct {
	elem, dims  string
	size, align int64
}

// goScalars are the Go types of the tables with their C types; pointers are uint64_t,
// the shim's view of Darwin's 64-bit addresses. int8 is char: cgo -godefs writes C's char
// (signed on Darwin) as int8, in names and paths, which the shim handles as strings.
var goScalars = map[string]cType{
	"int8": {"char", "", 1, 1}, "uint8": {"uint8_t", "", 1, 1}, "byte": {"uint8_t", "", 1, 1},
	"int16": {"int16_t", "", 2, 2}, "uint16": {"uint16_t", "", 2, 2},
	"int32": {"int32_t", "", 4, 4}, "uint32": {"uint32_t", "", 4, 4},
	"int64": {"int64_t", "", 8, 8}, "uint64": {"uint64_t", "", 8, 8}, "uintptr": {"uint64_t", "", 8, 8},
}

// libcMacros are the field names of Go's darwin structs that glibc's <signal.h> defines as
// macros (siginfo_t's union members), which would rewrite the Darwin struct's fields.
var libcMacros = map[string]bool{"si_pid": true, "si_uid": true, "si_status": true, "si_addr": true,
	"si_value": true, "si_band": true}

// cFieldName is the C name of a struct field: the Go name, prefixed with darwin_ where a
// libc macro has the same name.
func cFieldName(name string) string {
	if libcMacros[name] {
		return "darwin_" + name
	}
	return name
}

// writeStruct writes struct darwin_NAME, after the structs it contains, once.
func writeStruct(b *bytes.Buffer, f *goFile, file, name string, done map[string]bool) error {
	if done[name] {
		return nil
	}
	st, ok := f.structs[name]
	if !ok {
		return fmt.Errorf("%s: no struct type %s", file, name)
	}
	var body strings.Builder
	var off, align int64 = 0, 1
	for _, field := range st.Fields.List {
		t, err := cTypeOf(b, f, file, field.Type, done)
		if err != nil {
			return fmt.Errorf("%s: %s: %v", file, name, err)
		}
		for _, n := range field.Names {
			off = (off + t.align - 1) / t.align * t.align
			off += t.size
			align = max(align, t.align)
			fmt.Fprintf(&body, "\t%s %s%s;\n", t.elem, cFieldName(n.Name), t.dims)
		}
	}
	size := (off + align - 1) / align * align
	fmt.Fprintf(b, "struct darwin_%s {\n%s};\n", name, body.String())
	fmt.Fprintf(b, "_Static_assert(sizeof(struct darwin_%s) == %d, \"darwin_%s\");\n", name, size, name)
	done[name] = true
	f.sizes()[name] = cType{"struct darwin_" + name, "", size, align}
	return nil
}

// sizes are the structs written so far, as field types.
func (f *goFile) sizes() map[string]cType {
	if f.written == nil {
		f.written = map[string]cType{}
	}
	return f.written
}

// cTypeOf translates a field's type, writing a struct it names first.
func cTypeOf(b *bytes.Buffer, f *goFile, file string, e ast.Expr, done map[string]bool) (cType, error) {
	switch e := e.(type) {
	case *ast.StarExpr:
		return goScalars["uint64"], nil
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && x.Name == "unsafe" && e.Sel.Name == "Pointer" {
			return goScalars["uint64"], nil
		}
	case *ast.Ident:
		if t, ok := goScalars[e.Name]; ok {
			return t, nil
		}
		if err := writeStruct(b, f, file, e.Name, done); err != nil {
			return cType{}, err
		}
		return f.sizes()[e.Name], nil
	case *ast.ArrayType:
		lit, ok := e.Len.(*ast.BasicLit)
		if !ok || lit.Kind != token.INT {
			break
		}
		n, ok := constant.Int64Val(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
		if !ok {
			break
		}
		t, err := cTypeOf(b, f, file, e.Elt, done)
		if err != nil {
			return cType{}, err
		}
		return cType{t.elem, fmt.Sprintf("[%d]%s", n, t.dims), n * t.size, t.align}, nil
	}
	return cType{}, fmt.Errorf("field type %T not translated", e)
}
