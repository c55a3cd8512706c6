package ir

import "testing"

// TestRelinkFollowsOpTable checks relink, which decides by linkKind, against a
// renumbering that reads every op's parts from the op table: an op given an index part
// that linkParts leaves out, or a kind that renumbers too little, makes them differ.
func TestRelinkFollowsOpTable(t *testing.T) {
	l := &linker{
		mods: []LinkInput{{Module: &Module{
			Types: []Signature{{}, {Params: []Type{I32}}},
			Funcs: []*Func{{Name: "a"}, {Name: "b"}},
		}}},
		out:       &Module{},
		funcOut:   []uint32{11, 12},
		globalOut: []uint32{9, 10},
		dataBase:  []uint32{20},
		elemBase:  []uint32{30},
		typeOut:   [][]uint32{{40, 41}},
	}
	l.pre[ExternMemory] = [][]uint32{{5, 6}}
	l.pre[ExternTable] = [][]uint32{{7, 8}}
	l.pre[ExternGlobal] = [][]uint32{{1, 0}}
	l.pre[ExternFunc] = [][]uint32{{1, 0}}
	l.canon[ExternFunc] = [][]ref{{{0, 0}, {0, 1}}}
	srcTypes := l.mods[0].Module.Types

	for op := OpInvalid + 1; op < numOps; op++ {
		got := []Instr{{Op: op, Index: 1, Index2: 1}}
		want := got[0]
		l.relink(0, got, srcTypes)
		renumberByTable(l, &want, srcTypes)
		if got[0].Op != want.Op || got[0].Index != want.Index || got[0].Index2 != want.Index2 {
			t.Errorf("%s: relink gives op %v index %d index2 %d, want op %v index %d index2 %d",
				opTable[op].name, got[0].Op, got[0].Index, got[0].Index2, want.Op, want.Index, want.Index2)
		}
	}
}

// renumberByTable is the reference: it walks all of the op's parts.
func renumberByTable(l *linker, x *Instr, srcTypes []Signature) {
	for _, p := range opTable[x.Op].parts {
		switch p {
		case pMemAddr, pMem:
			x.Index = l.pre[ExternMemory][0][x.Index]
		case pMem2:
			x.Index2 = l.pre[ExternMemory][0][x.Index2]
		case pTable:
			x.Index = l.pre[ExternTable][0][x.Index]
		case pTable2:
			x.Index2 = l.pre[ExternTable][0][x.Index2]
		case pData:
			x.Index += l.dataBase[0]
		case pData2:
			x.Index2 += l.dataBase[0]
		case pElem:
			x.Index += l.elemBase[0]
		case pElem2:
			x.Index2 += l.elemBase[0]
		case pGlobal:
			x.Index = l.globalIndex(0, x.Index)
		case pFunc:
			x.Index = l.funcIndex(0, x.Index)
			if x.Op == OpCallImport {
				x.Op = OpCall
			}
		case pCallee:
			x.Index2 = l.typeOut[0][x.Index2]
		}
	}
}
