package rtlib

import (
	"encoding/binary"
	"fmt"
)

// The second wall (DESIGN.md decision 13): once start-up is over and before any guest
// code runs, c/wall.c restricts the process with Landlock (the file system shrinks to the
// preopened directories) and then a seccomp filter that allows only the system calls the
// runtime and the ISA's fault handler and trap routine make from then on. A compiler bug
// that lets guest code run arbitrary instructions then still cannot open a file outside
// the preopens, map executable memory, start a process or open a connection.
//
// The filter is built here, in Go, because it is the one place that knows every
// architecture's numbers (sysTable): rt.wasm stays the same for every target, and the
// filter reaches it as data through the wall intrinsic ([Layout.Wall]).

// wallArg limits one argument of an allowed system call.
type wallArg struct {
	arg int
	// values are what the argument's low 32 bits may be; wide also requires its high
	// 32 bits to be 0, for an argument the kernel reads whole (mprotect's prot), where
	// an int argument's high bits are ignored by the kernel and so left alone here.
	values []uint32
	wide   bool
	// self is the process's id instead of values: c/wall.c fills it in at start-up.
	self bool
}

// wallRule is a system call the wall allows, when every argument limit holds.
type wallRule struct {
	name string // as sysTable or entrySys spells it
	args []wallArg
}

// Linux's values, the same on amd64 and arm64.
const (
	linuxSIGBUS        = 7
	linuxSIGSEGV       = 11
	linuxFGETFL        = 3
	linuxFSETFL        = 4
	linuxProtReadWrite = 3
)

// faultSignals are the signals the fault handlers hand back to the kernel's default action
// (amd64/runtime_guard.go, arm64/runtime_guard.go): the only ones they install.
var faultSignals = []uint32{linuxSIGSEGV, linuxSIGBUS}

// wallRules are what the wall allows, by the code that needs it after start-up. Anything
// only start-up does (mapping memory and the configuration, binding the listeners,
// opening the preopens, probing the terminal, installing the handlers and the wall itself;
// wallStartupOnly) is gone: TestWallCoversRuntime holds the two lists against c/*.c.
var wallRules = []wallRule{
	// WASI's descriptors and paths (c/wasi_fd.c, wasi_dir.c, wasi_path.c, wasi_poll.c),
	// traps' and the .wast driver's reports (write), and every exit.
	{name: "write"}, {name: "readv"}, {name: "writev"}, {name: "preadv"}, {name: "pwritev"},
	{name: "lseek"}, {name: "close"}, {name: "statx"}, {name: "getdents64"},
	{name: "openat"}, {name: "openat2"}, {name: "mkdirat"}, {name: "unlinkat"},
	{name: "renameat2"}, {name: "symlinkat"}, {name: "readlinkat"}, {name: "linkat"},
	{name: "utimensat"}, {name: "ftruncate"}, {name: "fsync"}, {name: "fdatasync"},
	{name: "fadvise64"}, {name: "ppoll"}, {name: "exit_group"},
	// fd_fdstat_get and fd_fdstat_set_flags: only the status flags.
	{name: "fcntl", args: []wallArg{{arg: 1, values: []uint32{linuxFGETFL, linuxFSETFL}}}},
	// The preopened listeners (c/wasi_sock.c): bound before the wall, only used after.
	{name: "accept4"}, {name: "recvmsg"}, {name: "sendmsg"}, {name: "shutdown"},
	// Clocks, randomness, yielding (c/wasi_proc.c).
	{name: "clock_gettime"}, {name: "clock_getres"}, {name: "getrandom"}, {name: "sched_yield"},
	// memory.grow commits pages read-write (c/memory.c): never executable.
	{name: "mprotect", args: []wallArg{{arg: 2, values: []uint32{linuxProtReadWrite}, wide: true}}},
	// The fault handler's way out of a fault that is no wasm access: the signal's default
	// action back, the signal sent to itself again, and the restorer's return.
	{name: "rt_sigaction", args: []wallArg{{arg: 0, values: faultSignals}}},
	{name: "getpid"},
	{name: "kill", args: []wallArg{{arg: 0, self: true}, {arg: 1, values: faultSignals}}},
	{name: "rt_sigreturn"},
}

// wallStartupOnly are the runtime's system calls (c/*.c) that only start-up makes, before
// the wall goes up; with wallRules they cover every WASMC_SYS_ the C names.
var wallStartupOnly = []string{
	"mmap",                                   // map_config: wasmc run's capabilities
	"socket", "setsockopt", "bind", "listen", // tcp_listen: --tcplisten
	"ioctl",                                       // stdio: is it a terminal?
	"prctl", "seccomp", "landlock_create_ruleset", // the wall itself
	"landlock_add_rule", "landlock_restrict_self",
}

// entrySys are system calls that only the ISAs' code makes, not the runtime's C, with
// their numbers on linux/amd64 and linux/arm64.
var entrySys = map[string][2]int64{
	"rt_sigreturn": {15, 139}, // the fault handler's restorer
}

// Audit architectures (linux/audit.h): seccomp_data.arch of a system call made through
// the target's own convention. Anything else (x86's int 0x80, the x32 ABI) is killed.
const (
	auditArchX86_64  = 0xc000003e
	auditArchAarch64 = 0xc00000b7
	// x32SyscallBit marks an x32 system call on x86-64, which shares AUDIT_ARCH_X86_64.
	x32SyscallBit = 0x40000000
)

// wallNumber is the number of system call name on arch.
func wallNumber(name, arch string) (int64, error) {
	for s := Sys(1); s < numLinuxSys; s++ {
		if sysTable[s].name == name {
			if arch == "amd64" {
				return sysTable[s].amd64, nil
			}
			return sysTable[s].arm64, nil
		}
	}
	if n, ok := entrySys[name]; ok {
		if arch == "amd64" {
			return n[0], nil
		}
		return n[1], nil
	}
	return 0, fmt.Errorf("rtlib: the wall names an unknown system call %q", name)
}

// Wall returns the wall's data for a Linux executable of arch ("amd64", "arm64"), which
// c/wall.c reads through the wall intrinsic. The layout, integers little-endian u32:
// "WWL1"; the number of instructions whose constant is the process's id, then their
// indices; the number of filter instructions, then the instructions (struct sock_filter,
// 8 bytes each).
//
// The filter checks seccomp_data.arch first, then the number, then the argument limits;
// anything else kills the process (SECCOMP_RET_KILL_PROCESS): a wall that returned an
// error would let an attacker probe it.
func Wall(arch string) ([]byte, error) {
	var audit uint32
	switch arch {
	case "amd64":
		audit = auditArchX86_64
	case "arm64":
		audit = auditArchAarch64
	default:
		return nil, fmt.Errorf("rtlib: no wall for architecture %q", arch)
	}
	var a bpfAsm
	kill, allow := a.label(), a.label()
	a.load(seccompArch)
	a.jump(bpfJeqK, audit, -1, kill)
	a.load(seccompNr)
	if arch == "amd64" {
		a.jump(bpfJgeK, x32SyscallBit, kill, -1)
	}
	checks := make([]bpfLabel, len(wallRules))
	for i, r := range wallRules {
		nr, err := wallNumber(r.name, arch)
		if err != nil {
			return nil, err
		}
		to := allow
		if len(r.args) > 0 {
			checks[i] = a.label()
			to = checks[i]
		}
		a.jump(bpfJeqK, uint32(nr), to, -1)
	}
	a.ret(retKillAll)
	var self []uint32
	for i, r := range wallRules {
		if len(r.args) == 0 {
			continue
		}
		a.bind(checks[i])
		for _, arg := range r.args {
			ok := a.label()
			a.load(seccompArgs + 8*uint32(arg.arg))
			if arg.self {
				self = append(self, uint32(a.jump(bpfJeqK, 0, ok, kill)))
			}
			for j, v := range arg.values {
				miss := bpfLabel(-1)
				if j == len(arg.values)-1 {
					miss = kill
				}
				a.jump(bpfJeqK, v, ok, miss)
			}
			a.bind(ok)
			if arg.wide {
				a.load(seccompArgs + 8*uint32(arg.arg) + 4)
				a.jump(bpfJeqK, 0, -1, kill)
			}
		}
		a.goTo(allow)
	}
	a.bind(allow)
	a.ret(retAllow)
	a.bind(kill)
	a.ret(retKillAll)
	prog, err := a.finish()
	if err != nil {
		return nil, err
	}
	b := []byte("WWL1")
	b = binary.LittleEndian.AppendUint32(b, uint32(len(self)))
	for _, i := range self {
		b = binary.LittleEndian.AppendUint32(b, i)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(prog)/8))
	return append(b, prog...), nil
}

// WallSyscalls returns the numbers of the system calls the wall lets through on arch,
// some only with the arguments it allows: for tests that hold code outside rtlib (the
// ISAs' fault handlers, which run after the wall is up) to the list.
func WallSyscalls(arch string) ([]int64, error) {
	if arch != "amd64" && arch != "arm64" {
		return nil, fmt.Errorf("rtlib: no wall for architecture %q", arch)
	}
	var nrs []int64
	for _, r := range wallRules {
		nr, err := wallNumber(r.name, arch)
		if err != nil {
			return nil, err
		}
		nrs = append(nrs, nr)
	}
	return nrs, nil
}
