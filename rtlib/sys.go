package rtlib

import (
	"fmt"
	"strconv"
)

// Sys is a symbolic syscall number, the first argument of the syscall intrinsic. It is
// rtlib's own enumeration, not any kernel's, so that rt.wasm is the same for every
// target; lowering maps it to the target's number (Linux) or libSystem function (macOS).
// Arguments and results follow Linux: the result is negative errno on error, and
// structures are Linux's (the runtime picks the per-architecture details it needs, such
// as open flags, from its configuration). The numbers are also defined in c/wasmc.h as
// WASMC_SYS_<name>; a test checks that both agree.
type Sys int32

// The syscalls the runtime makes. Only calls whose structures are the same on every
// 64-bit Linux appear (statx rather than fstat, renameat2 rather than renameat, ppoll
// rather than poll), so that one runtime serves amd64 and arm64.
const (
	SysWrite Sys = iota + 1
	SysExitGroup
	SysMmap
	SysMprotect
	SysMunmap
	SysRead
	SysReadv
	SysWritev
	SysPreadv
	SysPwritev
	SysOpenat
	SysOpenat2
	SysClose
	SysLseek
	SysStatx
	SysGetdents64
	SysClockGettime
	SysClockGetres
	SysGetrandom
	SysMkdirat
	SysUnlinkat
	SysRenameat2
	SysSymlinkat
	SysReadlinkat
	SysLinkat
	SysUtimensat
	SysFtruncate
	SysFsync
	SysFdatasync
	SysFadvise64
	SysFallocate
	SysPpoll
	SysSchedYield
	SysGetpid
	SysKill
	SysSocket
	SysSetsockopt
	SysGetsockopt
	SysBind
	SysListen
	SysAccept4
	SysRecvmsg
	SysSendmsg
	SysShutdown
	SysFcntl
	SysRtSigaction
	SysIoctl
	SysPrctl
	SysSeccomp
	SysLandlockCreateRuleset
	SysLandlockAddRule
	SysLandlockRestrictSelf

	// libSystem's own, which the darwin runtime calls where Linux's have no equivalent
	// of the same arguments (libsystem.go); Linux has none of them.
	SysPread
	SysPwrite
	SysFstat
	SysFstatat
	SysFdopendir
	SysReaddir
	SysClosedir
	SysTelldir
	SysSeekdir
	SysGetentropy
	SysPoll
	SysRenameat
	SysFutimens
	SysAccept
	SysError
	SysSigaction
	SysSigaltstack
	SysDup
	numSys

	// numLinuxSys bounds the calls Linux has: its tables stop there, so that the syscall
	// intrinsic's dispatch, and so Linux executables, do not change with the darwin-only
	// calls.
	numLinuxSys = SysLandlockRestrictSelf + 1
)

// sysTable gives each Sys its name (as wasmc.h spells it after WASMC_SYS_) and its
// number on linux/amd64 and linux/arm64.
var sysTable = [numLinuxSys]struct {
	name         string
	amd64, arm64 int64
}{
	SysWrite:        {"write", 1, 64},
	SysExitGroup:    {"exit_group", 231, 94},
	SysMmap:         {"mmap", 9, 222},
	SysMprotect:     {"mprotect", 10, 226},
	SysMunmap:       {"munmap", 11, 215},
	SysRead:         {"read", 0, 63},
	SysReadv:        {"readv", 19, 65},
	SysWritev:       {"writev", 20, 66},
	SysPreadv:       {"preadv", 295, 69},
	SysPwritev:      {"pwritev", 296, 70},
	SysOpenat:       {"openat", 257, 56},
	SysOpenat2:      {"openat2", 437, 437},
	SysClose:        {"close", 3, 57},
	SysLseek:        {"lseek", 8, 62},
	SysStatx:        {"statx", 332, 291},
	SysGetdents64:   {"getdents64", 217, 61},
	SysClockGettime: {"clock_gettime", 228, 113},
	SysClockGetres:  {"clock_getres", 229, 114},
	SysGetrandom:    {"getrandom", 318, 278},
	SysMkdirat:      {"mkdirat", 258, 34},
	SysUnlinkat:     {"unlinkat", 263, 35},
	SysRenameat2:    {"renameat2", 316, 276},
	SysSymlinkat:    {"symlinkat", 266, 36},
	SysReadlinkat:   {"readlinkat", 267, 78},
	SysLinkat:       {"linkat", 265, 37},
	SysUtimensat:    {"utimensat", 280, 88},
	SysFtruncate:    {"ftruncate", 77, 46},
	SysFsync:        {"fsync", 74, 82},
	SysFdatasync:    {"fdatasync", 75, 83},
	SysFadvise64:    {"fadvise64", 221, 223},
	SysFallocate:    {"fallocate", 285, 47},
	SysPpoll:        {"ppoll", 271, 73},
	SysSchedYield:   {"sched_yield", 24, 124},
	SysGetpid:       {"getpid", 39, 172},
	SysKill:         {"kill", 62, 129},
	SysSocket:       {"socket", 41, 198},
	SysSetsockopt:   {"setsockopt", 54, 208},
	SysGetsockopt:   {"getsockopt", 55, 209},
	SysBind:         {"bind", 49, 200},
	SysListen:       {"listen", 50, 201},
	SysAccept4:      {"accept4", 288, 242},
	SysRecvmsg:      {"recvmsg", 47, 212},
	SysSendmsg:      {"sendmsg", 46, 211},
	SysShutdown:     {"shutdown", 48, 210},
	SysFcntl:        {"fcntl", 72, 25},
	SysRtSigaction:  {"rt_sigaction", 13, 134},
	SysIoctl:        {"ioctl", 16, 29},
	// The wall's own (c/wall.c), which it then forbids.
	SysPrctl:                 {"prctl", 157, 167},
	SysSeccomp:               {"seccomp", 317, 277},
	SysLandlockCreateRuleset: {"landlock_create_ruleset", 444, 444},
	SysLandlockAddRule:       {"landlock_add_rule", 445, 445},
	SysLandlockRestrictSelf:  {"landlock_restrict_self", 446, 446},
}

// AllSys returns every Sys in order.
func AllSys() []Sys {
	all := make([]Sys, 0, numSys-1)
	for s := Sys(1); s < numSys; s++ {
		all = append(all, s)
	}
	return all
}

// SyscallNumbers returns the system call number of each Sys on os/arch, indexed by Sys,
// for [Layout.Syscalls]; -1 marks one the target does not have. On darwin the number is
// an [ir.LibcallImm] naming an entry of [DarwinImports]. It fails for a target whose
// table does not exist yet.
func SyscallNumbers(os, arch string) ([]int64, error) {
	t := make([]int64, numSys)
	t[0] = -1
	if os == "darwin" {
		return darwinLibcalls(arch)
	}
	t = t[:numLinuxSys]
	for s := Sys(1); s < numLinuxSys; s++ {
		switch os + "/" + arch {
		case "linux/amd64":
			t[s] = sysTable[s].amd64
		case "linux/arm64":
			t[s] = sysTable[s].arm64
		default:
			return nil, fmt.Errorf("rtlib: no system call table for %s/%s", os, arch)
		}
	}
	return t, nil
}

// String returns the syscall's name as wasmc.h spells it after WASMC_SYS_.
func (s Sys) String() string {
	if s > 0 && s < numLinuxSys {
		return sysTable[s].name
	}
	if s >= numLinuxSys && s < numSys {
		return darwinOnly[s-numLinuxSys]
	}
	return "sys(" + strconv.Itoa(int(s)) + ")"
}
