package ir

import "strconv"

// BlockID names a block of one function: an index into [Func.Blocks], printed b3.
// Numbers are kept through passes and into the backends, so dumps of every stage line up.
type BlockID uint32

// NoBlock is the BlockID that names nothing.
const NoBlock = ^BlockID(0)

// String returns the block's text name, b3.
func (b BlockID) String() string {
	if b == NoBlock {
		return "b?"
	}
	return "b" + strconv.FormatUint(uint64(b), 10)
}

// Block is a basic block: typed parameters, which take the place of phis, then
// instructions of which exactly the last is a terminator. The entry block's parameters
// are the function's parameters.
type Block struct {
	// Params are the values the block's predecessors pass in, in order.
	Params []Value
	// Instrs lists the block's instructions in execution order.
	Instrs []InstrID
}

// BlockCall is one target of a branch: the block and the arguments its parameters
// receive, one per parameter.
type BlockCall struct {
	Block BlockID // the target
	Args  []Value // one per parameter of Block, in order
}
