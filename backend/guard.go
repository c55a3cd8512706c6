package backend

import "github.com/wasmc/wasmc/ir"

// Guard pages (DESIGN.md decision 7). A guarded memory is a reservation of GuardedReserve
// bytes of address space: the 4 GiB a 32-bit index can reach, then GuardRegion bytes that
// are never made accessible. Only the first size bytes are read-write, so every access past
// the memory's size, up to 4 GiB + GuardRegion, faults. An access whose static offset plus
// width is at most GuardRegion therefore needs no compare: its fault is the trap, and the
// process's SIGSEGV handler, which each ISA's entry installs, turns it into the same
// report as a trap stub's (the trap routine, with the faulting instruction as the site).

// MemoryDescSize is the size of a memory's descriptor {base, size, max, reserve}: the
// first three words are rtlib's (rtlib/doc.go); reserve is the address space process
// entry reserves, max for an unguarded memory and GuardedReserve for a guarded one.
const MemoryDescSize = ir.MemDescSize

// BoundsChecks says how the code keeps memory accesses inside their memory.
type BoundsChecks uint8

const (
	// BoundsExplicit compares every access with the memory's size and branches to a trap
	// stub. The zero value: it needs nothing of the host.
	BoundsExplicit BoundsChecks = iota
	// BoundsGuard leaves the check of a 32-bit memory's access to its guard region where
	// the offset allows; the executable reserves GuardedReserve bytes per guarded memory.
	BoundsGuard
)

// String is the flag's spelling.
func (b BoundsChecks) String() string {
	if b == BoundsGuard {
		return "guard"
	}
	return "explicit"
}

const (
	// GuardRegion is the inaccessible address space after a guarded memory's 4 GiB. Wasm
	// offsets of up to 2 GiB also fit an amd64 displacement.
	GuardRegion = 2 << 30
	// GuardedReserve is the address space a guarded memory reserves.
	GuardedReserve = 4<<30 + GuardRegion
	// MaxGuardedMemories bounds the address space a program reserves (1.5 TiB: well inside
	// a 47-bit user address space); memories after it are checked explicitly.
	MaxGuardedMemories = 256
)

// Guarded reports whether memory mem's accesses may rely on its guard region.
func (e *Env) Guarded(mem uint32) bool {
	return e.BoundsChecks == BoundsGuard && mem < MaxGuardedMemories &&
		int(mem) < len(e.Module.Memories) && !e.Module.Memories[mem].Is64
}

// unchecked marks the boundschecks that guard pages make unnecessary: on a guarded memory,
// with an end (offset + width) within the guard region, and immediately followed by the
// access it protects, the next instruction that emits code, at the same address value and
// with the same end. Then the access faults exactly when the check would trap, and before
// anything else the check protected has happened; a check whose access moved away or was
// never emitted (a dead load) stays explicit.
//
// It is the step for in (instruction id), the next instruction of its block that emits
// code, of kindsAndLoads' walk: v.pending is the boundscheck just before, or -1, and
// becomes in, if in is one that may be left to the guard region. (The check is kept in v,
// not passed and returned: as locals of the walk, it and its instruction were spilled and
// reloaded at every instruction, issue 21.)
func (v *Values) unchecked(f *ir.Func, env *Env, in *ir.Instr, id ir.InstrID) {
	if c := v.pending; c >= 0 {
		check := &f.Instrs[c]
		if w := accessWidth(in); w > 0 &&
			in.Index == check.Index && in.Args[0] == check.Args[0] && in.Imm+w == check.Imm {
			if v.Unchecked == nil {
				v.Unchecked = resize(v.spare, len(f.Instrs))
			}
			v.Unchecked[c] = true
		}
	}
	v.pending = -1
	if in.Op == ir.OpBoundsCheck && in.Imm <= GuardRegion && env.Guarded(in.Index) {
		v.pending = int32(id)
	}
}

// accessWidth is the number of bytes in accesses at its address operand, for the loads and
// stores an ISA emits as one instruction that faults first (the vector loads and stores of
// part of a v128 included: pinsr, pextr, pmovsx, movd), or 0.
func accessWidth(in *ir.Instr) uint64 {
	if in.Op == ir.OpLoad || in.Op == ir.OpStore {
		return uint64(in.Width)
	}
	return uint64(ir.VecAccessWidth(in.Op, in.Shape))
}

// IsUnchecked reports whether boundscheck id is left to the guard region.
func (v *Values) IsUnchecked(id ir.InstrID) bool {
	return int(id) < len(v.Unchecked) && v.Unchecked[id]
}

// What the fault handlers of both Linux ISAs share (amd64/runtime_guard.go,
// arm64/runtime_guard.go): the generic Linux signal ABI, which x86-64 and arm64 agree on,
// and the layouts of this package's tables that the handler reads.
const (
	LinuxSIGBUS  = 7
	LinuxSIGSEGV = 11
	// LinuxSAFlags are SA_SIGINFO (a siginfo and a ucontext for the handler), SA_ONSTACK
	// (the alternate stack) and SA_RESTORER (the entry's own sigreturn).
	LinuxSAFlags = 0x4 | 0x08000000 | 0x04000000
	// LinuxSiAddr is the offset of si_addr, the faulting address, in a 64-bit siginfo_t.
	LinuxSiAddr = 16
	// FaultStackSize is the alternate signal stack the handler runs on.
	FaultStackSize = 64 << 10
	// FunctabFirstStart is the offset in the function table (RefFunctab) of the first
	// function's start address, after the count and the end.
	FunctabFirstStart = 16
	// MemoryDescReserve is the offset of a memory descriptor's reserve word.
	MemoryDescReserve = 24
	// FaultCrashStart and FaultCrashEnd frame the pc, in 16 hex digits, in the line a
	// fault that is no wasm access prints before the process dies of it.
	FaultCrashStart = "wasmc: fatal signal at pc 0x"
	FaultCrashEnd   = ", not a wasm memory access (a bug in wasmc, unless the signal was sent)\n"
)
