// wasmc.h: the runtime's contract with the compiler (rtlib/doc.go, DESIGN.md decision 6).
//
// The runtime is freestanding C compiled to wasm32: it has its own linear memory and
// reaches the guest and the host only through the intrinsics below, imported from module
// "wasmc". rtlib/intrinsics.go holds the same table in Go; rtlib's tests check that every
// import of rt.wasm is one of them, with the same signature.
#ifndef WASMC_H
#define WASMC_H

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef unsigned long size_t;

#define WASMC_IMPORT(name) __attribute__((import_module("wasmc"), import_name(name)))
#define WASMC_EXPORT(name) __attribute__((export_name(name)))

// Symbolic syscall numbers: a stable enumeration of rtlib's own, translated to the
// target's numbers (or libSystem calls on macOS) by lowering. Arguments follow Linux.
// Keep in step with the Sys constants in rtlib/sys.go.
// (The full list, one per rtlib.Sys; arguments as Linux's.)
#define WASMC_SYS_write 1
#define WASMC_SYS_exit_group 2
#define WASMC_SYS_mmap 3
#define WASMC_SYS_mprotect 4
#define WASMC_SYS_munmap 5
#define WASMC_SYS_read 6
#define WASMC_SYS_readv 7
#define WASMC_SYS_writev 8
#define WASMC_SYS_preadv 9
#define WASMC_SYS_pwritev 10
#define WASMC_SYS_openat 11
#define WASMC_SYS_openat2 12
#define WASMC_SYS_close 13
#define WASMC_SYS_lseek 14
#define WASMC_SYS_statx 15
#define WASMC_SYS_getdents64 16
#define WASMC_SYS_clock_gettime 17
#define WASMC_SYS_clock_getres 18
#define WASMC_SYS_getrandom 19
#define WASMC_SYS_mkdirat 20
#define WASMC_SYS_unlinkat 21
#define WASMC_SYS_renameat2 22
#define WASMC_SYS_symlinkat 23
#define WASMC_SYS_readlinkat 24
#define WASMC_SYS_linkat 25
#define WASMC_SYS_utimensat 26
#define WASMC_SYS_ftruncate 27
#define WASMC_SYS_fsync 28
#define WASMC_SYS_fdatasync 29
#define WASMC_SYS_fadvise64 30
#define WASMC_SYS_fallocate 31
#define WASMC_SYS_ppoll 32
#define WASMC_SYS_sched_yield 33
#define WASMC_SYS_getpid 34
#define WASMC_SYS_kill 35
#define WASMC_SYS_socket 36
#define WASMC_SYS_setsockopt 37
#define WASMC_SYS_getsockopt 38
#define WASMC_SYS_bind 39
#define WASMC_SYS_listen 40
#define WASMC_SYS_accept4 41
#define WASMC_SYS_recvmsg 42
#define WASMC_SYS_sendmsg 43
#define WASMC_SYS_shutdown 44
#define WASMC_SYS_fcntl 45
#define WASMC_SYS_rt_sigaction 46
#define WASMC_SYS_ioctl 47
#define WASMC_SYS_prctl 48
#define WASMC_SYS_seccomp 49
#define WASMC_SYS_landlock_create_ruleset 50
#define WASMC_SYS_landlock_add_rule 51
#define WASMC_SYS_landlock_restrict_self 52
// libSystem's, for the darwin runtime only (rtlib/sys_darwin.go).
#define WASMC_SYS_pread 53
#define WASMC_SYS_pwrite 54
#define WASMC_SYS_fstat 55
#define WASMC_SYS_fstatat 56
#define WASMC_SYS_fdopendir 57
#define WASMC_SYS_readdir 58
#define WASMC_SYS_closedir 59
#define WASMC_SYS_telldir 60
#define WASMC_SYS_seekdir 61
#define WASMC_SYS_getentropy 62
#define WASMC_SYS_poll 63
#define WASMC_SYS_renameat 64
#define WASMC_SYS_futimens 65
#define WASMC_SYS_accept 66
#define WASMC_SYS_error 67
#define WASMC_SYS_sigaction 68
#define WASMC_SYS_sigaltstack 69
#define WASMC_SYS_dup 70

// mprotect's and mmap's protection bits, the same on Linux and macOS.
#define WASMC_PROT_NONE 0
#define WASMC_PROT_READ 1
#define WASMC_PROT_WRITE 2

// Trap codes: ir.TrapCode's numbering and text names (ir/trap.go); rtlib's tests check it.
#define WASMC_TRAP_unreachable 1
#define WASMC_TRAP_int_divide_by_zero 2
#define WASMC_TRAP_int_overflow 3
#define WASMC_TRAP_invalid_conversion 4
#define WASMC_TRAP_oob_memory 5
#define WASMC_TRAP_oob_table 6
#define WASMC_TRAP_indirect_call_type_mismatch 7
#define WASMC_TRAP_uninitialized_element 8
#define WASMC_TRAP_undefined_element 9
#define WASMC_TRAP_stack_exhausted 10
#define WASMC_TRAP_null_reference 11
#define WASMC_TRAP_memory_limit 12
#define WASMC_TRAP_table_limit 13

// The intrinsics. Their semantics are documented once, in rtlib/intrinsics.go.
WASMC_IMPORT("trap") __attribute__((noreturn)) void wasmc_intr_trap(int32_t code);
WASMC_IMPORT("syscall")
int64_t wasmc_syscall(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4,
		      int64_t a5);
WASMC_IMPORT("host_load64") uint64_t wasmc_host_load64(uint64_t addr);
WASMC_IMPORT("host_store64") void wasmc_host_store64(uint64_t addr, uint64_t v);
WASMC_IMPORT("host_load8") uint32_t wasmc_host_load8(uint64_t addr);
WASMC_IMPORT("rt_host") uint64_t wasmc_rt_host(const void *ptr);
WASMC_IMPORT("memory_descriptor") uint64_t wasmc_memory_descriptor(int32_t mem);
WASMC_IMPORT("table_descriptor") uint64_t wasmc_table_descriptor(int32_t table);
WASMC_IMPORT("data_descriptor") uint64_t wasmc_data_descriptor(int32_t data);
WASMC_IMPORT("elem_descriptor") uint64_t wasmc_elem_descriptor(int32_t elem);
WASMC_IMPORT("functab") uint64_t wasmc_functab(void);
WASMC_IMPORT("guest_read") int32_t wasmc_guest_read(void *dst, uint64_t src, uint32_t n);
WASMC_IMPORT("guest_write") int32_t wasmc_guest_write(uint64_t dst, const void *src, uint32_t n);
WASMC_IMPORT("guest_memory") uint64_t wasmc_guest_memory(void);
WASMC_IMPORT("config") uint64_t wasmc_config(void);
WASMC_IMPORT("wall") uint64_t wasmc_wall_data(void);

// Descriptors are words in host memory (backend/doc.go): a memory's or a table's begins
// {base, size, max}, sizes in bytes for a memory and in elements for a table. A table's
// fourth word is the address of the budget: the elements all the program's tables may
// still grow by together (ir.TableDescSize).
#define WASMC_DESC_BASE 0
#define WASMC_DESC_SIZE 8
#define WASMC_DESC_MAX 16
#define WASMC_DESC_BUDGET 24

// A passive data segment's descriptor is {base, length} (backend/doc.go), the length in
// bytes; an element segment's is {base, length, funcrefs}, the length in elements, which
// are 32-bit function indices at base (WASMC_NULL_FUNC for null) standing for the
// references funcrefs + WASMC_FUNCREF_SIZE * index. data.drop and elem.drop set the
// length to 0. Table elements are 8-byte references.
#define WASMC_SEG_BASE 0
#define WASMC_SEG_LENGTH 8
#define WASMC_SEG_FUNCREFS 16
#define WASMC_NULL_FUNC 0xffffffffu
#define WASMC_FUNCREF_SIZE 16
#define WASMC_REF_SIZE 8

// The function table (rtlib/intrinsics.go, FunctabHeaderSize): {count, end}, then count
// entries {start, name address, name length}, sorted by start.
#define WASMC_FUNCTAB_HEADER 16
#define WASMC_FUNCTAB_ENTRY 24

// The value types of wasmc_invoke_arg and wasmc_invoke_result (invoke.c), which the code
// `wasmc build --invoke` generates passes as constants.
#define WASMC_INVOKE_i32 0
#define WASMC_INVOKE_i64 1
#define WASMC_INVOKE_f32 2
#define WASMC_INVOKE_f64 3

// Routines shared between the runtime's files.
__attribute__((noreturn)) void wasmc_trap(int32_t code, int64_t pc, int64_t fp);
// memory.c: wasmc_memory_range sets *host to the host address of [addr, addr+n) in memory
// mem and returns 0, or returns 1, setting nothing, unless the whole range is inside the
// memory's current size.
// wasmc_host_move copies n bytes of host memory from s to d as memmove does; d's range must
// be inside a linear memory or a table, whose aligned words it may rewrite whole.
int32_t wasmc_memory_range(int32_t mem, uint64_t addr, uint64_t n, uint64_t *host);
void wasmc_host_move(uint64_t d, uint64_t s, uint64_t n);

// invoke.c: the command line process entry handed wasmc_args_init: argc (0 if entry
// gave no stack) and the host address of argv[0]; the environment follows argv's NULL.
extern uint64_t argc_, argv_;

// str.c: what clang may call even in freestanding code, and a few helpers.
void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
// wasmc_utoa writes v in base (10 or 16, lowercase, no prefix) at dst and returns the
// number of bytes written (at most 20).
size_t wasmc_utoa(char *dst, uint64_t v, unsigned base);
// strerror.c: wasmc_strerror writes the words of a Linux errno (positive) at dst and
// returns their length, at most 48.
uint32_t wasmc_strerror(char *dst, uint64_t err);

#endif
