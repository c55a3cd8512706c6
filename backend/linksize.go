package backend

import "github.com/wasmc/wasmc/ir"

// reserve sizes rodata, data and the fix-ups for what state puts in them, so that each
// grows in place: a module with 100 000 data segments (a Go program's) appends each to
// rodata and a descriptor and a fix-up for it, and growing by doubling copied rodata's
// megabytes several times over, each time into fresh pages. The sizes are upper bounds
// but for tables and memories placed in data, which grow data as before.
func (k *linker) reserve() {
	m := k.m
	ro := 15 + 16*len(m.Funcs) // the funcref descriptors, 16-byte aligned
	for _, seg := range m.Data {
		ro += len(seg.Bytes)
	}
	for i := range m.Elems {
		ro += 7 + (4*m.Elems[i].Len()+7)&^7
	}
	count, names := 0, 0
	for i, c := range k.p.Code {
		if c != nil {
			count++
			names += len(m.Funcs[i].Name)
		}
	}
	ro += 7 + 16 + 24*count + names // the function table and its names
	k.img.Rodata.Data = make([]byte, 0, ro)

	data := 8 + 7 + int(min(k.rt.DataSize, 1<<20)) + 7 + MemoryDescSize*len(m.Memories) +
		7 + ir.TableDescSize*len(m.Tables) + 8 + 7 + 16*len(m.Data) + 7 + ElemDescSize*len(m.Elems)
	for _, g := range m.Globals {
		size := max(8, g.Type.Size())
		data += 2 * size // with its alignment
	}
	k.img.Data.Data = make([]byte, 0, data)
	k.fixes = make([]absFix, 0, len(m.Funcs)+len(m.Data)+2*len(m.Elems)+2*count+1+2*len(m.Tables)+len(m.Memories)+len(m.Globals))
}
