package rtlib

import (
	"encoding/binary"
	"fmt"
)

// A classic-BPF assembler for the wall's seccomp filter (wall.go), with only what a
// filter over struct seccomp_data needs: loads of its 32-bit words, compares with a
// constant, and returns. Jumps go forward to labels; classic BPF encodes a conditional
// jump's offsets in one byte each, so a filter that would need more is an error, not a
// wrong jump.

// Classic BPF opcodes (linux/bpf_common.h) and seccomp's return values
// (linux/seccomp.h).
const (
	bpfLdAbsW  = 0x20 // BPF_LD | BPF_W | BPF_ABS: A = seccomp_data word at k
	bpfJeqK    = 0x15 // BPF_JMP | BPF_JEQ | BPF_K
	bpfJgeK    = 0x35 // BPF_JMP | BPF_JGE | BPF_K
	bpfJaK     = 0x05 // BPF_JMP | BPF_JA: pc += k
	bpfRetK    = 0x06 // BPF_RET | BPF_K
	retAllow   = 0x7fff0000
	retKillAll = 0x80000000 // SECCOMP_RET_KILL_PROCESS
	bpfMaxLen  = 4096       // BPF_MAXINSNS
)

// Offsets in struct seccomp_data {int nr; u32 arch; u64 instruction_pointer; u64
// args[6]}: an argument's low word comes first on both little-endian targets.
const (
	seccompNr   = 0
	seccompArch = 4
	seccompArgs = 16
)

// bpfInsn is struct sock_filter.
type bpfInsn struct {
	code   uint16
	jt, jf uint8
	k      uint32
}

// bpfLabel is a place in the program, bound once.
type bpfLabel int

// bpfAsm assembles a program whose jumps name labels.
type bpfAsm struct {
	insns []bpfInsn
	at    []int // label → instruction index, -1 until bound
	fix   []bpfFix
}

// bpfFix is a jump whose offsets are resolved when the program is finished.
type bpfFix struct {
	insn   int
	jt, jf bpfLabel // -1: fall through
	ja     bool     // an unconditional jump to jt
}

func (a *bpfAsm) label() bpfLabel {
	a.at = append(a.at, -1)
	return bpfLabel(len(a.at) - 1)
}

func (a *bpfAsm) bind(l bpfLabel) { a.at[l] = len(a.insns) }

// emit appends an instruction and returns its index.
func (a *bpfAsm) emit(code uint16, k uint32) int {
	a.insns = append(a.insns, bpfInsn{code: code, k: k})
	return len(a.insns) - 1
}

func (a *bpfAsm) load(off uint32) { a.emit(bpfLdAbsW, off) }
func (a *bpfAsm) ret(k uint32)    { a.emit(bpfRetK, k) }

// jump compares A with k (op bpfJeqK or bpfJgeK) and goes to jt if true, jf if false;
// -1 falls through. It returns the instruction's index.
func (a *bpfAsm) jump(op uint16, k uint32, jt, jf bpfLabel) int {
	i := a.emit(op, k)
	a.fix = append(a.fix, bpfFix{insn: i, jt: jt, jf: jf})
	return i
}

// goTo jumps to l unconditionally.
func (a *bpfAsm) goTo(l bpfLabel) {
	i := a.emit(bpfJaK, 0)
	a.fix = append(a.fix, bpfFix{insn: i, jt: l, ja: true})
}

// finish resolves the jumps and returns the program as the kernel reads it: 8 bytes per
// instruction, little-endian.
func (a *bpfAsm) finish() ([]byte, error) {
	if len(a.insns) > bpfMaxLen {
		return nil, fmt.Errorf("rtlib: a seccomp filter of %d instructions (at most %d)", len(a.insns), bpfMaxLen)
	}
	off := func(from int, l bpfLabel, max int) (int, error) {
		if l < 0 {
			return 0, nil
		}
		to := a.at[l]
		if to <= from || to-from-1 > max {
			return 0, fmt.Errorf("rtlib: seccomp filter: a jump from %d to %d", from, to)
		}
		return to - from - 1, nil
	}
	for _, f := range a.fix {
		in := &a.insns[f.insn]
		if f.ja {
			k, err := off(f.insn, f.jt, bpfMaxLen)
			if err != nil {
				return nil, err
			}
			in.k = uint32(k)
			continue
		}
		jt, err := off(f.insn, f.jt, 255)
		if err != nil {
			return nil, err
		}
		jf, err := off(f.insn, f.jf, 255)
		if err != nil {
			return nil, err
		}
		in.jt, in.jf = uint8(jt), uint8(jf)
	}
	b := make([]byte, 0, 8*len(a.insns))
	for _, in := range a.insns {
		b = binary.LittleEndian.AppendUint16(b, in.code)
		b = append(b, in.jt, in.jf)
		b = binary.LittleEndian.AppendUint32(b, in.k)
	}
	return b, nil
}
