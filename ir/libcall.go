package ir

// On darwin the operating system's interface is libSystem, not system call numbers, so an
// OpSyscall's immediate there names a function that dyld binds (DESIGN.md decisions 6
// and 9): the index of its import slot in the executable, and how the function reports
// failure, which the ISA turns into the Linux convention that the runtime expects
// (-errno). On Linux the immediate is the kernel's system call number.

// LibcallResult says how a libSystem function's result becomes an OpSyscall's.
type LibcallResult uint8

const (
	// LibcallInt is a C int (eax; the upper half of rax is undefined): sign-extended, and
	// -1 becomes minus the errno that __error() points to.
	LibcallInt LibcallResult = iota
	// LibcallLong is a 64-bit result (ssize_t, off_t, mmap's pointer): -1 becomes minus
	// errno.
	LibcallLong
	// LibcallRaw is passed on as it is (a pointer that is NULL on failure, __error's own).
	LibcallRaw
)

// LibcallImm is the immediate of an OpSyscall that calls import slot index, whose result
// is r, with errno the slot of __error (the function that returns errno's address).
// varargs is the position of the callee's first variadic argument (open's mode is
// openat's 3, fcntl's and ioctl's third argument 2), or 0 for a callee that is not
// variadic: Apple's arm64 convention passes variadic arguments on the stack, each in its
// own 8-byte slot, and the named ones in registers. Slots are below 2^24, varargs below 16.
func LibcallImm(index uint32, r LibcallResult, errno uint32, varargs int) uint64 {
	return uint64(index&0xffffff) | uint64(errno&0xffffff)<<24 | uint64(r)<<48 | uint64(varargs&0xf)<<56
}

// Libcall decodes [LibcallImm].
func Libcall(imm uint64) (index uint32, r LibcallResult, errno uint32) {
	return uint32(imm & 0xffffff), LibcallResult(imm >> 48 & 0xff), uint32(imm>>24) & 0xffffff
}

// LibcallVarargs is [LibcallImm]'s varargs: the position of the first variadic argument,
// or 0.
func LibcallVarargs(imm uint64) int { return int(imm >> 56 & 0xf) }
