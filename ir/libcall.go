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
// Slots are below 2^24.
func LibcallImm(index uint32, r LibcallResult, errno uint32) uint64 {
	return uint64(index&0xffffff) | uint64(errno&0xffffff)<<24 | uint64(r)<<48
}

// Libcall decodes [LibcallImm].
func Libcall(imm uint64) (index uint32, r LibcallResult, errno uint32) {
	return uint32(imm & 0xffffff), LibcallResult(imm >> 48), uint32(imm>>24) & 0xffffff
}
