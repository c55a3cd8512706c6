package ir

import "strconv"

// TrapCode says why a trap or trapif traps. Each code carries the message the
// WebAssembly spec tests expect, which the runtime prints (DESIGN decision 8).
type TrapCode uint8

// The trap codes.
const (
	TrapNone                     TrapCode = iota // the zero TrapCode: ops that do not trap
	TrapUnreachable                              // the unreachable instruction
	TrapIntDivideByZero                          // integer division or remainder by zero
	TrapIntOverflow                              // signed division MIN / -1
	TrapInvalidConversion                        // float-to-int conversion of NaN or an out-of-range value
	TrapOutOfBoundsMemory                        // linear-memory access outside the memory
	TrapOutOfBoundsTable                         // table access outside the table, including call_indirect's index
	TrapIndirectCallTypeMismatch                 // call_indirect to a function of another type
	TrapUninitializedElement                     // call_indirect to a null table element
	TrapUndefinedElement                         // call_indirect past the end of the table (the spec's older wording)
	TrapStackExhausted                           // the call-stack limit check in a prologue
	TrapNullReference                            // use of a null reference where one is not allowed (wasm 3.0)
	TrapMemoryLimit                              // instantiation of a memory whose minimum is over the limit (--max-memory)
	TrapTableLimit                               // instantiation of tables whose minimums are over the limit (--max-table-elements)
	numTrapCodes
)

var trapNames = [numTrapCodes]struct{ name, msg string }{
	TrapNone:                     {"none", "no trap"},
	TrapUnreachable:              {"unreachable", "unreachable"},
	TrapIntDivideByZero:          {"int_divide_by_zero", "integer divide by zero"},
	TrapIntOverflow:              {"int_overflow", "integer overflow"},
	TrapInvalidConversion:        {"invalid_conversion", "invalid conversion to integer"},
	TrapOutOfBoundsMemory:        {"oob_memory", "out of bounds memory access"},
	TrapOutOfBoundsTable:         {"oob_table", "out of bounds table access"},
	TrapIndirectCallTypeMismatch: {"indirect_call_type_mismatch", "indirect call type mismatch"},
	TrapUninitializedElement:     {"uninitialized_element", "uninitialized element"},
	TrapUndefinedElement:         {"undefined_element", "undefined element"},
	TrapStackExhausted:           {"stack_exhausted", "call stack exhausted"},
	TrapNullReference:            {"null_reference", "null reference"},
	TrapMemoryLimit:              {"memory_limit", "memory larger than --max-memory allows"},
	TrapTableLimit:               {"table_limit", "tables larger than --max-table-elements allows"},
}

// String returns the trap code's text-form name (oob_memory, …).
func (c TrapCode) String() string {
	if c < numTrapCodes {
		return trapNames[c].name
	}
	return "trap(" + strconv.FormatUint(uint64(c), 10) + ")"
}

// Message returns the wasm spec's message for the trap ("out of bounds memory access").
func (c TrapCode) Message() string {
	if c < numTrapCodes {
		return trapNames[c].msg
	}
	return c.String()
}

func trapByName(name string) (TrapCode, bool) {
	for c := TrapNone + 1; c < numTrapCodes; c++ {
		if trapNames[c].name == name {
			return c, true
		}
	}
	return TrapNone, false
}
