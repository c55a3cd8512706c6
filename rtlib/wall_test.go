package rtlib

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// seccompData is the input of a seccomp filter (struct seccomp_data).
type seccompData struct {
	nr   int64
	arch uint32
	args [6]uint64
}

// word returns the 32-bit word of d at offset off, as the kernel lays it out.
func (d *seccompData) word(off uint32) uint32 {
	var b [64]byte
	binary.LittleEndian.PutUint32(b[0:], uint32(d.nr))
	binary.LittleEndian.PutUint32(b[4:], d.arch)
	for i, a := range d.args {
		binary.LittleEndian.PutUint64(b[16+8*i:], a)
	}
	return binary.LittleEndian.Uint32(b[off:])
}

// runFilter interprets the instructions Wall's filters use, as the kernel would, and
// returns the filter's verdict; it fails the test on anything else.
func runFilter(t *testing.T, prog []bpfInsn, d seccompData) uint32 {
	t.Helper()
	var acc uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.code {
		case bpfLdAbsW:
			acc = d.word(in.k)
		case bpfJeqK, bpfJgeK:
			taken := acc == in.k
			if in.code == bpfJgeK {
				taken = acc >= in.k
			}
			if taken {
				pc += int(in.jt)
			} else {
				pc += int(in.jf)
			}
		case bpfJaK:
			pc += int(in.k)
		case bpfRetK:
			return in.k
		default:
			t.Fatalf("instruction %d: opcode %#x", pc, in.code)
		}
	}
	t.Fatal("the filter runs off its end")
	return 0
}

// decodeWall reads Wall's data and fills in pid as c/wall.c does.
func decodeWall(t *testing.T, b []byte, pid uint32) []bpfInsn {
	t.Helper()
	u32 := func() uint32 {
		if len(b) < 4 {
			t.Fatal("wall data ends early")
		}
		v := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return v
	}
	if string(b[:4]) != "WWL1" {
		t.Fatalf("magic %q", b[:4])
	}
	b = b[4:]
	self := make([]uint32, u32())
	for i := range self {
		self[i] = u32()
	}
	n := int(u32())
	if len(b) != 8*n {
		t.Fatalf("%d bytes of filter, want %d", len(b), 8*n)
	}
	prog := make([]bpfInsn, n)
	for i := range prog {
		w := b[8*i:]
		prog[i] = bpfInsn{code: binary.LittleEndian.Uint16(w), jt: w[2], jf: w[3], k: binary.LittleEndian.Uint32(w[4:])}
	}
	for _, i := range self {
		prog[i].k = pid
	}
	return prog
}

// TestWallFilter runs each target's filter over system calls the runtime and the fault
// handler make after start-up, which pass, and over escapes, which kill.
func TestWallFilter(t *testing.T) {
	const pid = 4242
	for _, tc := range []struct {
		arch  string
		audit uint32
		// Numbers of calls nothing after start-up makes.
		mmap, execve, socket, ptrace, connect int64
	}{
		{"amd64", auditArchX86_64, 9, 59, 41, 101, 42},
		{"arm64", auditArchAarch64, 222, 221, 198, 117, 203},
	} {
		t.Run(tc.arch, func(t *testing.T) {
			b, err := Wall(tc.arch)
			if err != nil {
				t.Fatal(err)
			}
			prog := decodeWall(t, b, pid)
			num := func(name string) int64 {
				n, err := wallNumber(name, tc.arch)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			call := func(nr int64, args ...uint64) seccompData {
				d := seccompData{nr: nr, arch: tc.audit}
				copy(d.args[:], args)
				return d
			}
			verdict := map[uint32]string{retAllow: "allowed", retKillAll: "killed"}
			check := func(what string, d seccompData, want uint32) {
				t.Helper()
				if got := runFilter(t, prog, d); got != want {
					t.Errorf("%s: %s (%#x), want %s", what, verdict[got], got, verdict[want])
				}
			}
			for _, r := range wallRules {
				if len(r.args) == 0 {
					check(r.name, call(num(r.name), 1, 2, 3), retAllow)
				}
			}
			check("mprotect read-write", call(num("mprotect"), 0x10000, 0x10000, 3), retAllow)
			check("mprotect executable", call(num("mprotect"), 0x10000, 0x10000, 7), retKillAll)
			check("mprotect, prot's high bits", call(num("mprotect"), 0x10000, 0x10000, 3|1<<32), retKillAll)
			check("fcntl F_GETFL", call(num("fcntl"), 3, 3), retAllow)
			check("fcntl F_SETFL", call(num("fcntl"), 3, 4, 0x800), retAllow)
			check("fcntl F_DUPFD", call(num("fcntl"), 3, 0), retKillAll)
			check("rt_sigaction SIGSEGV", call(num("rt_sigaction"), 11, 0, 0, 8), retAllow)
			check("rt_sigaction SIGBUS", call(num("rt_sigaction"), 7, 0, 0, 8), retAllow)
			check("rt_sigaction SIGINT", call(num("rt_sigaction"), 2, 0, 0, 8), retKillAll)
			check("kill self SIGSEGV", call(num("kill"), pid, 11), retAllow)
			check("kill self SIGTERM", call(num("kill"), pid, 15), retKillAll)
			check("kill another SIGSEGV", call(num("kill"), pid+1, 11), retKillAll)
			check("kill every process", call(num("kill"), 1<<32-1, 11), retKillAll)
			for name, nr := range map[string]int64{"mmap": tc.mmap, "execve": tc.execve, "socket": tc.socket, "ptrace": tc.ptrace, "connect": tc.connect,
				"seccomp": num("seccomp"), "landlock_restrict_self": num("landlock_restrict_self"), "ioctl": num("ioctl"), "bind": num("bind")} {
				check(name, call(nr), retKillAll)
			}
			other := call(num("write"), 1, 0, 1)
			other.arch ^= 1
			check("write of another architecture", other, retKillAll)
			if tc.arch == "amd64" {
				check("x32 write", call(x32SyscallBit|num("write"), 1, 0, 1), retKillAll)
			}
		})
	}
}

// TestWallCoversRuntime holds the wall's lists against the runtime's C: every system call
// it names is one the wall allows or one only start-up makes (wallStartupOnly), so that
// a call added to the runtime is put on one list or the other by whoever adds it.
func TestWallCoversRuntime(t *testing.T) {
	srcs, err := filepath.Glob("c/*.c")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no C sources: %v", err)
	}
	re := regexp.MustCompile(`WASMC_SYS_(\w+)`)
	seen := map[string]bool{}
	// libSystem's calls are the darwin runtime's, which has no wall.
	for s := numLinuxSys; s < numSys; s++ {
		seen[s.String()] = true
	}
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			name := string(m[1])
			if seen[name] && slices.ContainsFunc(AllSys(), func(s Sys) bool { return s >= numLinuxSys && s.String() == name }) {
				continue
			}
			seen[name] = true
			allowed := slices.ContainsFunc(wallRules, func(r wallRule) bool { return r.name == name })
			if !allowed && !slices.Contains(wallStartupOnly, name) {
				t.Errorf("%s: the runtime makes system call %s, which the wall neither allows nor lists as start-up only", src, name)
			}
		}
	}
	for _, name := range wallStartupOnly {
		if !seen[name] {
			t.Errorf("wallStartupOnly lists %s, which the runtime never names", name)
		}
	}
}
