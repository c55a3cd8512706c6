package rtlib

import (
	"fmt"

	"github.com/wasmc/wasmc/ir"
)

// On darwin the runtime's system calls are calls of libSystem functions through import
// slots that dyld binds (DESIGN.md decision 9): raw system calls are no stable interface
// there. Each Sys the darwin runtime makes maps to one function, called with the
// runtime's arguments unchanged in the C convention; the darwin runtime (c/, built with
// WASMC_DARWIN) passes Darwin's arguments, flags and structures. A Linux call with no
// equivalent of the same arguments maps to nothing, and the darwin runtime calls the
// darwin-only Sys instead (statx: fstatat; getdents64: fdopendir and readdir; renameat2:
// renameat; ppoll: poll; getrandom: getentropy; preadv: pread); openat2 has none: the
// runtime resolves paths component by component (Config.Walk), as on kernels without it.

// darwinOnly names the calls after numLinuxSys, as wasmc.h spells them.
var darwinOnly = [numSys - numLinuxSys]string{
	"pread", "pwrite", "fstat", "fstatat", "fdopendir", "readdir", "closedir", "telldir",
	"seekdir", "getentropy", "poll", "renameat", "futimens", "accept", "error", "sigaction",
	"sigaltstack", "dup",
}

// darwinFunc is the libSystem function a Sys calls on darwin: its C name on arm64 and
// amd64 (where the 64-bit-inode variants of the stat and directory functions are
// separate symbols, as <sys/cdefs.h>'s __DARWIN_INODE64 and, for telldir and seekdir,
// __DARWIN_ALIAS_I spell them), and how it fails.
type darwinFunc struct {
	name, amd64 string
	result      ir.LibcallResult
	// varargs is the position of the first variadic argument (<fcntl.h>, <sys/ioctl.h>),
	// or 0: darwin/arm64 passes those on the stack (ir.LibcallImm).
	varargs int
}

var darwinFuncs = map[Sys]darwinFunc{
	SysWrite:        {name: "write", result: ir.LibcallLong},
	SysExitGroup:    {name: "_exit", result: ir.LibcallRaw},
	SysMmap:         {name: "mmap", result: ir.LibcallLong},
	SysMprotect:     {name: "mprotect"},
	SysMunmap:       {name: "munmap"},
	SysRead:         {name: "read", result: ir.LibcallLong},
	SysReadv:        {name: "readv", result: ir.LibcallLong},
	SysWritev:       {name: "writev", result: ir.LibcallLong},
	SysOpenat:       {name: "openat", varargs: 3},
	SysClose:        {name: "close"},
	SysLseek:        {name: "lseek", result: ir.LibcallLong},
	SysClockGettime: {name: "clock_gettime"},
	SysClockGetres:  {name: "clock_getres"},
	SysMkdirat:      {name: "mkdirat"},
	SysUnlinkat:     {name: "unlinkat"},
	SysSymlinkat:    {name: "symlinkat"},
	SysReadlinkat:   {name: "readlinkat", result: ir.LibcallLong},
	SysLinkat:       {name: "linkat"},
	SysUtimensat:    {name: "utimensat"},
	SysFtruncate:    {name: "ftruncate"},
	SysFsync:        {name: "fsync"},
	SysFdatasync:    {name: "fdatasync"},
	SysSchedYield:   {name: "sched_yield"},
	SysGetpid:       {name: "getpid"},
	SysKill:         {name: "kill"},
	SysSocket:       {name: "socket"},
	SysSetsockopt:   {name: "setsockopt"},
	SysGetsockopt:   {name: "getsockopt"},
	SysBind:         {name: "bind"},
	SysListen:       {name: "listen"},
	SysRecvmsg:      {name: "recvmsg", result: ir.LibcallLong},
	SysSendmsg:      {name: "sendmsg", result: ir.LibcallLong},
	SysShutdown:     {name: "shutdown"},
	SysFcntl:        {name: "fcntl", varargs: 2},
	SysIoctl:        {name: "ioctl", varargs: 2},
	SysPread:        {name: "pread", result: ir.LibcallLong},
	SysPwrite:       {name: "pwrite", result: ir.LibcallLong},
	SysFstat:        {name: "fstat", amd64: "fstat$INODE64"},
	SysFstatat:      {name: "fstatat", amd64: "fstatat$INODE64"},
	SysFdopendir:    {name: "fdopendir", amd64: "fdopendir$INODE64", result: ir.LibcallRaw},
	SysReaddir:      {name: "readdir", amd64: "readdir$INODE64", result: ir.LibcallRaw},
	SysClosedir:     {name: "closedir"},
	SysTelldir:      {name: "telldir", amd64: "telldir$INODE64", result: ir.LibcallLong},
	SysSeekdir:      {name: "seekdir", amd64: "seekdir$INODE64", result: ir.LibcallRaw},
	SysGetentropy:   {name: "getentropy"},
	SysPoll:         {name: "poll"},
	SysRenameat:     {name: "renameat"},
	SysFutimens:     {name: "futimens"},
	SysAccept:       {name: "accept"},
	SysError:        {name: "__error", result: ir.LibcallRaw},
	SysSigaction:    {name: "sigaction"},
	SysSigaltstack:  {name: "sigaltstack"},
	SysDup:          {name: "dup"},
}

// DarwinImports returns the libSystem functions the darwin runtime may call on arch, by
// their C names, in the order of their import slots ([ir.LibcallImm]'s index): the
// executable's imports, which dyld binds before the entry point runs.
func DarwinImports(arch string) ([]string, error) {
	if arch != "amd64" && arch != "arm64" {
		return nil, fmt.Errorf("rtlib: no libSystem table for darwin/%s", arch)
	}
	var names []string
	for s := Sys(1); s < numSys; s++ {
		f, ok := darwinFuncs[s]
		if !ok {
			continue
		}
		if arch == "amd64" && f.amd64 != "" {
			names = append(names, f.amd64)
		} else {
			names = append(names, f.name)
		}
	}
	return names, nil
}

// darwinLibcalls is [SyscallNumbers] for darwin.
func darwinLibcalls(arch string) ([]int64, error) {
	if _, err := DarwinImports(arch); err != nil {
		return nil, err
	}
	t := make([]int64, numSys)
	slots := make([]uint32, numSys)
	slot := uint32(0)
	for s := Sys(1); s < numSys; s++ {
		if _, ok := darwinFuncs[s]; ok {
			slots[s] = slot
			slot++
		}
	}
	t[0] = -1
	for s := Sys(1); s < numSys; s++ {
		f, ok := darwinFuncs[s]
		if !ok {
			t[s] = -1
			continue
		}
		t[s] = int64(ir.LibcallImm(slots[s], f.result, slots[SysError], f.varargs))
	}
	return t, nil
}
