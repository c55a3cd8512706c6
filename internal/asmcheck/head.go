package asmcheck

import (
	"strconv"
	"strings"
)

// loopHeads returns the instructions of insts, a function's code in address order, that are
// at the head of a loop: each run from the target of a backward branch (a direct branch to
// its own address or an earlier one) through the first instruction after it that may go
// elsewhere than the next (a branch, a return or a trap; a call comes back). That is code
// run on every pass of the loop, whichever way the pass ends: a check limited to it (head
// "re") can say that a loop stores nothing at its start, where one over the whole function
// would also count the edges that go around the loop or into it.
func loopHeads(arch string, insts []Inst) []Inst {
	heads := map[uint64]bool{}
	for _, in := range insts {
		if t, ok := branchTarget(arch, in.Text); ok && t <= in.Addr {
			heads[t] = true
		}
	}
	var out []Inst
	inHead := false
	for _, in := range insts {
		inHead = inHead || heads[in.Addr]
		if inHead {
			out = append(out, in)
			inHead = !transfers(arch, in.Text)
		}
	}
	return out
}

// branchTarget is the address a direct branch jumps to, written as its last operand (a
// target inside the function is an address; one at the start of a symbol, the symbol).
func branchTarget(arch, text string) (uint64, bool) {
	mn, args, _ := strings.Cut(text, " ")
	switch arch {
	case "amd64":
		if !strings.HasPrefix(mn, "j") {
			return 0, false
		}
	case "arm64":
		switch {
		case mn == "b", strings.HasPrefix(mn, "b."), mn == "cbz", mn == "cbnz", mn == "tbz", mn == "tbnz":
		default:
			return 0, false
		}
	default:
		return 0, false
	}
	last := args[strings.LastIndexAny(args, " ,")+1:]
	if !strings.HasPrefix(last, "0x") {
		return 0, false
	}
	t, err := strconv.ParseUint(last[2:], 16, 64)
	return t, err == nil
}

// transfers reports whether the instruction may go elsewhere than the next one, a call's
// return aside.
func transfers(arch, text string) bool {
	mn, _, _ := strings.Cut(text, " ")
	switch arch {
	case "amd64":
		return strings.HasPrefix(mn, "j") || mn == "ret" || mn == "ud2"
	case "arm64":
		switch mn {
		case "b", "br", "ret", "cbz", "cbnz", "tbz", "tbnz", "udf", "brk":
			return true
		}
		return strings.HasPrefix(mn, "b.")
	}
	return false
}
