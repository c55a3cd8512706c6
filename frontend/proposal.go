package frontend

import (
	"fmt"
	"strings"
)

// FeatureError is a construct from a WebAssembly proposal past 2.0 that wasmc does not
// implement yet, or a 2.0 feature that the backends do not handle yet (SIMD). To a 2.0
// decoder such an opcode is simply illegal, and the decoder still reports it as a
// *DecodeError (the spec suite's assert_malformed holds); the error inside says what it
// is, so that a user who compiled with -mtail-call reads "return_call is not supported
// yet (tail-call proposal)" rather than "illegal opcode 0x12".
type FeatureError struct {
	Feature  string // what the module uses: an instruction's name, or a construct
	Proposal string // the proposal it belongs to, named as the proposals' repositories do
}

func (e *FeatureError) Error() string {
	return fmt.Sprintf("%s is not supported yet (%s)", e.Feature, e.Proposal)
}

// Proposals, as their repositories under github.com/WebAssembly are named.
const (
	proposalEH       = "exception-handling proposal"
	proposalTailCall = "tail-call proposal"
	proposalFuncRefs = "function-references proposal"
	proposalGC       = "gc proposal"
	proposalThreads  = "threads proposal"
	proposalRelaxed  = "relaxed-simd proposal"
	proposalSIMD     = "simd proposal"
)

// proposalOps are the one-byte opcodes that later proposals gave meaning to.
var proposalOps = map[byte]FeatureError{
	0x06: {"try", proposalEH},
	0x07: {"catch", proposalEH},
	0x08: {"throw", proposalEH},
	0x09: {"rethrow", proposalEH},
	0x0A: {"throw_ref", proposalEH},
	0x12: {"return_call", proposalTailCall},
	0x13: {"return_call_indirect", proposalTailCall},
	0x14: {"call_ref", proposalFuncRefs},
	0x15: {"return_call_ref", proposalFuncRefs},
	0x18: {"delegate", proposalEH},
	0x19: {"catch_all", proposalEH},
	0x1F: {"try_table", proposalEH},
	0xD3: {"ref.eq", proposalGC},
	0xD4: {"ref.as_non_null", proposalFuncRefs},
	0xD5: {"br_on_null", proposalFuncRefs},
	0xD6: {"br_on_non_null", proposalFuncRefs},
}

// proposalFeature says which proposal an opcode the decoder does not know belongs to: b is
// its first byte and sub, for a prefix the decoder reads (0xFC, 0xFD), the sub-opcode. It returns nil for an opcode
// that no proposal wasmc knows of defines.
func proposalFeature(b byte, sub uint32) *FeatureError {
	switch {
	case b == 0xFB:
		return &FeatureError{"GC instruction (0xfb prefix)", proposalGC}
	case b == 0xFE:
		return &FeatureError{"atomic instruction (0xfe prefix)", proposalThreads}
	case b == byte(PrefixSIMD) && sub >= 0x100 && sub <= 0x113:
		return &FeatureError{fmt.Sprintf("relaxed SIMD instruction 0xfd %d", sub), proposalRelaxed}
	}
	if f, ok := proposalOps[b]; ok {
		return &f
	}
	return nil
}

// ProposalInstr returns the error for an instruction name of the text format that a later
// proposal defines, or nil: the text parser says what return_call is rather than calling
// it an unknown operator.
func ProposalInstr(name string) *FeatureError {
	for _, f := range proposalOps {
		if f.Feature == name {
			return &f
		}
	}
	switch {
	case strings.HasPrefix(name, "struct.") || strings.HasPrefix(name, "array.") ||
		strings.HasPrefix(name, "i31.") || name == "ref.i31" || name == "ref.test" || name == "ref.cast" ||
		name == "br_on_cast" || name == "br_on_cast_fail" || name == "any.convert_extern" || name == "extern.convert_any":
		return &FeatureError{name, proposalGC}
	case strings.Contains(name, ".atomic.") || name == "atomic.fence" || strings.HasPrefix(name, "memory.atomic."):
		return &FeatureError{name, proposalThreads}
	case strings.Contains(name, ".relaxed_"):
		return &FeatureError{name, proposalRelaxed}
	}
	return nil
}

// tagSection is the exception-handling proposal's section id, right after data count.
const tagSection = 13
