package backend

import (
	"slices"

	"github.com/wasmc/wasmc/ir"
)

// Value analysis: before instruction selection emits anything, decide per IR value how it is
// lowered. The decisions are the same on every ISA; only which compares and loads an ISA can
// fold into their users differs, and it says so through [Folding].
//
//   - Constants are not computed where they are defined but where they are used: folded
//     into an immediate when the user has an immediate form, else materialized into a new
//     virtual register near each use. This is rematerialization, and it keeps constants out
//     of the allocator's way.
//   - A compare whose only use is the condition of a brif, trapif or select in its block is
//     fused into that user: the compare goes right before the branch, trap or conditional
//     move, with no flag-to-register step.
//   - A value nobody uses, from an op without side effects, is not computed.
//   - A full-width load whose only use is the next instruction that emits code, as that
//     instruction's second operand, may become its memory operand (amd64's add r, [m]).

// ValueKind says how instruction selection lowers a value.
type ValueKind uint8

// The kinds.
const (
	ValNormal ValueKind = iota // computed by its instruction into virtual register = value number
	ValConst                   // a constant, rematerialized at each use
	ValFused                   // a compare lowered inside its only user
	ValDead                    // never used: not computed
	ValFolded                  // a load folded into its only user's memory operand
)

// Folding is what value analysis asks an ISA.
type Folding interface {
	// FusesCompare reports whether the ISA can lower compare cmp (an icmp, fcmp, eqz or
	// refisnull) inside user, a brif, trapif or select of the same block that is its only
	// use. (amd64 cannot for a select on a float eq or ne, which needs two flags.)
	FusesCompare(user, cmp *ir.Instr) bool
	// FoldsLoad reports whether user can take its second operand from memory, so that a
	// full-width load right before it, used only there, becomes its memory operand.
	FoldsLoad(user *ir.Instr) bool
}

// Values is the analysis of one function: what instruction selection reads to decide what to
// emit for each value.
type Values struct {
	Uses []int32     // per value: operand and branch-argument uses in reachable code
	Kind []ValueKind // per value
	// Reach is f.Reachable(), which [LayOutBlocks] takes too rather than walking the
	// blocks again.
	Reach []bool
	// Unchecked, per instruction, marks the boundschecks that guard pages make
	// unnecessary (guard.go); nil when there are none.
	Unchecked []bool

	spare  []bool       // a released Unchecked's array, for unchecked to fill
	fusers []ir.InstrID // scratch: the brifs, trapifs and selects, whose conditions may fuse
	walks  int          // walks over a block's instructions, for a test
	// pending is the boundscheck that the next instruction kindsAndLoads reaches may
	// leave to the guard region, or -1 (unchecked).
	pending int32
}

// AnalyzeValues counts uses in f's reachable blocks, decides each value's kind and, for
// env's guarded memories, which boundschecks need no code. A nil env guards nothing.
func AnalyzeValues(f *ir.Func, isa Folding, env *Env) Values {
	reach := f.Reachable()
	v := newValues()
	v.Reach = reach
	v.Uses = resize(v.Uses, len(f.Values))
	v.Kind = resize(v.Kind, len(f.Values))
	// The walk that counts uses also lists the instructions that may fuse their
	// condition, so that every value's kind is known before the second walk needs it,
	// which can then also fold loads: the kinds were a walk of their own (issue 21).
	fusers := v.fusers[:0]
	for _, b := range f.Layout {
		if !reach[b] {
			continue
		}
		v.walks++
		ids := f.Blocks[b].Instrs
		fusers = countUses(f.Instrs, ids, v.Uses, slices.Grow(fusers, len(ids)))
	}
	for _, id := range fusers {
		v.fuse(f, &f.Instrs[id], isa)
	}
	v.fusers = fusers
	v.kindsAndLoads(f, reach, isa, env != nil && env.BoundsChecks == BoundsGuard, env)
	return v
}

// countUses adds the uses of instructions ids' operands and branch arguments to uses, and
// appends to fusers, which has room for all, those of ids that may fuse their condition.
// It calls nothing, so that its loops keep their locals in registers: in AnalyzeValues,
// with append's call, they were spilled and reloaded at every instruction (issue 21).
func countUses(instrs []ir.Instr, ids []ir.InstrID, uses []int32, fusers []ir.InstrID) []ir.InstrID {
	for _, id := range ids {
		in := &instrs[id]
		for _, a := range in.Args {
			uses[a]++
		}
		for _, t := range in.Targets {
			for _, a := range t.Args {
				uses[a]++
			}
		}
		if op := in.Op; op == ir.OpBrIf || op == ir.OpTrapIf || op == ir.OpSelect {
			n := len(fusers)
			fusers = fusers[:n+1]
			fusers[n] = id
		}
	}
	return fusers
}

// fuse marks the condition of in as fused when in is its only use, its compare is in the
// same block and the ISA can lower the two together.
func (v *Values) fuse(f *ir.Func, in *ir.Instr, isa Folding) {
	c := in.Args[0]
	vd := f.Values[c]
	if vd.Kind != ir.DefResult || v.Uses[c] != 1 {
		return
	}
	def := &f.Instrs[vd.Instr]
	if def.Block != in.Block {
		return
	}
	switch def.Op {
	case ir.OpICmp, ir.OpEqz, ir.OpRefIsNull, ir.OpFCmp:
		if isa.FusesCompare(in, def) {
			v.Kind[c] = ValFused
		}
	}
}

// kindsAndLoads marks constants and dead values, and the loads that fold into their user:
// nothing is emitted between the two, so the load cannot move past a store or a call.
// With guard, the same walk over the instructions that emit code finds the boundschecks
// left to the guard region (unchecked), which was a walk of its own, as long (issue 21).
// Fused compares must be marked already: a fused compare emits no code here.
func (v *Values) kindsAndLoads(f *ir.Func, reach []bool, isa Folding, guard bool, env *Env) {
	uses, kind := v.Uses, v.Kind
	for _, b := range f.Layout {
		if !reach[b] {
			continue
		}
		v.walks++
		var prev *ir.Instr
		v.pending = -1
		for _, id := range f.Blocks[b].Instrs {
			in := &f.Instrs[id]
			switch in.Op {
			case ir.OpIConst, ir.OpF32Const, ir.OpF64Const, ir.OpRefNull:
				kind[in.Results[0]] = ValConst
				continue // emitted at its uses
			}
			if len(in.Results) > 0 && in.Op.Flags()&(ir.SideEffect|ir.CanTrap|ir.Terminator) == 0 {
				dead := true
				for _, r := range in.Results {
					dead = dead && uses[r] == 0
				}
				if dead {
					for _, r := range in.Results {
						kind[r] = ValDead
					}
				}
			}
			// Only the load before in becomes ValFolded here, once in is reached: in's kind
			// is the same for both.
			if len(in.Results) == 1 && kind[in.Results[0]] != ValNormal {
				continue // emitted elsewhere or not at all
			}
			if prev != nil && prev.Op == ir.OpLoad && isa.FoldsLoad(in) {
				ld := prev.Results[0]
				full := int(prev.Width) == f.Values[ld].Type.Size()
				if full && uses[ld] == 1 && in.Args[1] == ld && in.Args[0] != ld {
					kind[ld] = ValFolded
				}
			}
			prev = in
			// Most instructions neither follow a boundscheck nor are one: no call.
			if guard && (v.pending >= 0 || in.Op == ir.OpBoundsCheck) {
				v.unchecked(f, env, in, id)
			}
		}
	}
}
