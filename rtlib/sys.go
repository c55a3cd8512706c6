package rtlib

import "strconv"

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
)

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
