package rtlib

import (
	"fmt"
	"strconv"
)

// Sys is a symbolic syscall number, the first argument of the syscall intrinsic. It is
// rtlib's own enumeration, not any kernel's, so that rt.wasm is the same for every
// target; lowering maps it to the target's number (Linux) or libSystem function (macOS).
// Arguments and results follow Linux: the result is negative errno on error. The numbers
// are also defined in c/wasmc.h as WASMC_SYS_<name>; a test checks that both agree.
type Sys int32

// The syscalls the runtime makes.
const (
	SysWrite     Sys = 1 // write(fd, buf, n): buf is a host address
	SysExitGroup Sys = 2 // exit_group(status): does not return
	SysMmap      Sys = 3 // mmap(addr, len, prot, flags, fd, off)
	SysMprotect  Sys = 4 // mprotect(addr, len, prot)
	SysMunmap    Sys = 5 // munmap(addr, len)
	numSys           = SysMunmap + 1
)

// SyscallNumbers returns the system call number of each Sys on os/arch, indexed by Sys,
// for [Layout.Syscalls]; -1 marks one the target does not have. It fails for a target
// whose table does not exist yet.
func SyscallNumbers(os, arch string) ([]int64, error) {
	var t []int64
	switch os + "/" + arch {
	case "linux/amd64":
		t = []int64{-1, SysWrite: 1, SysExitGroup: 231, SysMmap: 9, SysMprotect: 10, SysMunmap: 11}
	case "linux/arm64":
		t = []int64{-1, SysWrite: 64, SysExitGroup: 94, SysMmap: 222, SysMprotect: 226, SysMunmap: 215}
	default:
		return nil, fmt.Errorf("rtlib: no system call table for %s/%s", os, arch)
	}
	if len(t) != int(numSys) {
		panic("rtlib: a syscall table misses a Sys") // the tables above are out of date
	}
	return t, nil
}

var sysNames = [...]string{
	SysWrite: "write", SysExitGroup: "exit_group", SysMmap: "mmap",
	SysMprotect: "mprotect", SysMunmap: "munmap",
}

// String returns the syscall's name as wasmc.h spells it after WASMC_SYS_.
func (s Sys) String() string {
	if s > 0 && int(s) < len(sysNames) {
		return sysNames[s]
	}
	return "sys(" + strconv.Itoa(int(s)) + ")"
}
