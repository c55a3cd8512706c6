package ir

import "strconv"

// Value names an SSA value of one function: an index into [Func.Values]. Values are
// numbered densely per function and printed v12. Every value is defined exactly once,
// either as a block parameter or as a result of an instruction.
type Value uint32

// NoValue is the Value that names nothing.
const NoValue = ^Value(0)

// String returns the value's text name, v12.
func (v Value) String() string {
	if v == NoValue {
		return "v?"
	}
	return "v" + strconv.FormatUint(uint64(v), 10)
}

// DefKind says how a value is defined.
type DefKind uint8

// The definition kinds.
const (
	// DefNone marks an unused slot: a number the text skipped, or a value a pass deleted.
	DefNone DefKind = iota
	// DefParam values are block parameters (the entry block's are the function's).
	DefParam
	// DefResult values are instruction results.
	DefResult
	// DefAlias values stand for another value until [Func.ResolveAliases] rewrites their
	// uses; SSA construction uses them to drop trivial block parameters cheaply.
	DefAlias
)

// ValueData is what a function records about one value: its type and its definition.
// It is stored by value in [Func.Values], indexed by [Value].
type ValueData struct {
	Type Type    // fixed at definition; NoType only in DefNone slots
	Kind DefKind // how, and so whether, the value is defined
	// Index is the position among the block's Params (DefParam) or the instruction's
	// Results (DefResult).
	Index uint32
	// Block is the defining block of a DefParam value.
	Block BlockID
	// Instr is the defining instruction of a DefResult value; its block is Instr's Block.
	Instr InstrID
	// Alias is the value a DefAlias value stands for (possibly itself an alias).
	Alias Value
}
