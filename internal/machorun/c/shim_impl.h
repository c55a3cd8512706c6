// What the shim's files share: errno translation, flag tables, Darwin's variadic arguments
// and the *at functions' directory descriptor. Not part of the loader's interface (shim.h).
#ifndef MACHORUN_SHIM_IMPL_H
#define MACHORUN_SHIM_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "darwin.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

// shim_abort reports something the shim cannot translate and aborts: a test harness must
// not guess.
_Noreturn void shim_abort(const char *fn, const char *fmt, long long v);

// fail sets the Darwin errno from Linux's errno and returns r, the failure value.
long fail(long r);

// fail_with sets the Darwin errno e (a DARWIN_E* number) and returns r.
long fail_with(int e, long r);

// invalid sets EINVAL, for an argument with bits the shim does not translate (libSystem
// may accept some of them; the shim translates those the runtime uses), and returns r.
long invalid(long r);

// to_darwin_errno maps a Linux errno to Darwin's number for the same name.
int to_darwin_errno(int e);

// A bit of a Darwin flags word and the Linux bit that means the same.
struct flag {
	int darwin, linux_;
};

// to_linux maps the bits of flags through tab, or returns -1 if a bit has no entry.
int to_linux(int flags, const struct flag *tab, size_t n);

// to_darwin maps Linux bits back through tab; bits with no entry are dropped.
int to_darwin(int flags, const struct flag *tab, size_t n);

// open_flags translates Darwin's open(2) flags, access mode included, or returns -1.
int open_flags(int dflags);

// open_flags_darwin is the Darwin spelling of Linux's file status flags (F_GETFL).
int open_flags_darwin(int flags);

// at_fd is the Linux directory descriptor for Darwin's: AT_FDCWD differs (-2 and -100).
int at_fd(int dfd);

// linux_signal is the Linux number of Darwin's signal dsig, or -1 if Linux has none
// (SIGEMT, SIGINFO); darwin_signal is the reverse, 0 for none.
int linux_signal(int dsig);
int darwin_signal(int sig);

// Apple's arm64 ABI passes a variadic function's variadic arguments on the stack, each in
// an 8-byte slot, where AAPCS64 would use the argument registers left. A shim function
// that stands for a variadic one is declared with the registers the fixed arguments leave
// as unused parameters, so that the first variadic argument is its ninth, which AAPCS64
// passes at [sp], where Apple's caller put it. On x86_64 both systems pass variadic
// arguments as fixed ones, and the parameter simply follows the fixed ones.
#if defined(__aarch64__)
#define VARIADIC_REG __attribute__((unused)) long
#define VARIADIC_AFTER2 VARIADIC_REG x2_, VARIADIC_REG x3_, VARIADIC_REG x4_, VARIADIC_REG x5_, VARIADIC_REG x6_, VARIADIC_REG x7_,
#define VARIADIC_AFTER3 VARIADIC_REG x3_, VARIADIC_REG x4_, VARIADIC_REG x5_, VARIADIC_REG x6_, VARIADIC_REG x7_,
#else
#define VARIADIC_AFTER2
#define VARIADIC_AFTER3
#endif

// A shim function by its Mach-O name. Each file of the shim has a table of them, ended by
// a null name, which shim_lookup searches.
struct shim_symbol {
	const char *name;
	void *fn;
};
extern const struct shim_symbol shim_file_symbols[], shim_dir_symbols[], shim_sys_symbols[],
    shim_net_symbols[], shim_signal_symbols[];

// INODE64 spells the name of a function that darwin/amd64's libSystem has in two variants:
// the plain one with the old, 32-bit-inode struct stat and dirent, and NAME$INODE64 with the
// 64-bit-inode ones (Go's tables, and <sys/stat.h> with _DARWIN_FEATURE_64_BIT_INODE). The
// shim has only the latter. darwin/arm64 has only plain names, with the 64-bit layouts.
#if defined(__x86_64__)
#define INODE64(name) name "$INODE64"
#else
#define INODE64(name) name
#endif

#endif
