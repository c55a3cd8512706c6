// The shim: libSystem's functions for a Mach-O run by the loader, each translating Darwin's
// ABI to Linux's (glibc's) and back: flag bits, clock ids and errno numbers. The Darwin
// numbers are in darwin.h, generated from Go's darwin tables; the Linux ones are glibc's
// headers', so the two sides come from independent sources.
//
// The calling convention needs no translation on x86_64: macOS and Linux both follow the
// System V AMD64 ABI, variadic calls included (open's mode). On arm64 it would: Apple passes
// a variadic function's variadic arguments on the stack.
//
// Errors: each function returns what libSystem's does and sets the Darwin errno, which
// ___error (C's __error, behind Darwin's errno macro) points at. A Linux errno with no
// Darwin counterpart, or an argument with bits the shim cannot translate, aborts with a
// message: a test harness must not guess.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "darwin.h"
#include "shim.h"

static _Thread_local int darwin_errno;

static _Noreturn void shim_abort(const char *fn, const char *fmt, long long v) {
	fprintf(stderr, "machorun: shim %s: ", fn);
	fprintf(stderr, fmt, v);
	fputc('\n', stderr);
	abort();
}

// to_darwin_errno maps a Linux errno to Darwin's number for the same name.
static int to_darwin_errno(int e) {
	switch (e) {
#define E(name)                                                                                                        \
	case name:                                                                                                     \
		return DARWIN_##name;
		E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD)
		E(EDEADLK) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV)
		E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC)
		E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EAGAIN) E(EINPROGRESS) E(EALREADY)
		E(ENOTSOCK) E(EDESTADDRREQ) E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT) E(EPROTONOSUPPORT)
		E(ESOCKTNOSUPPORT) E(ENOTSUP) E(EPFNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE)
		E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH) E(ENETRESET) E(ECONNABORTED) E(ECONNRESET)
		E(ENOBUFS) E(EISCONN) E(ENOTCONN) E(ESHUTDOWN) E(ETOOMANYREFS) E(ETIMEDOUT)
		E(ECONNREFUSED) E(ELOOP) E(ENAMETOOLONG) E(EHOSTDOWN) E(EHOSTUNREACH) E(ENOTEMPTY)
		E(EUSERS) E(EDQUOT) E(ESTALE) E(EREMOTE) E(ENOLCK) E(ENOSYS) E(EOVERFLOW) E(ECANCELED)
		E(EIDRM) E(ENOMSG) E(EILSEQ) E(EBADMSG) E(EMULTIHOP) E(ENODATA) E(ENOLINK) E(ENOSR)
		E(ENOSTR) E(EPROTO) E(ETIME) E(EOWNERDEAD) E(ENOTRECOVERABLE)
#undef E
	}
	shim_abort("errno", "Linux errno %lld has no Darwin number", e);
}

// fail sets the Darwin errno from Linux's and returns r, the failure value.
static long fail(long r) {
	darwin_errno = to_darwin_errno(errno);
	return r;
}

// invalid sets EINVAL, for an argument with bits the shim does not translate. (libSystem
// may accept some of them; the shim translates those a test needs.)
static long invalid(long r) {
	darwin_errno = DARWIN_EINVAL;
	return r;
}

// A bit of a Darwin flags word and the Linux bit that means the same.
struct flag {
	int darwin, linux_;
};

// translate maps the bits of flags through tab, or returns -1 if a bit has no entry.
static int translate(int flags, const struct flag *tab, size_t n) {
	int out = 0;
	for (size_t i = 0; i < n; i++) {
		if (flags & tab[i].darwin) {
			out |= tab[i].linux_;
			flags &= ~tab[i].darwin;
		}
	}
	return flags ? -1 : out;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct flag open_flags[] = {
    {DARWIN_O_NONBLOCK, O_NONBLOCK}, {DARWIN_O_APPEND, O_APPEND},       {DARWIN_O_CREAT, O_CREAT},
    {DARWIN_O_TRUNC, O_TRUNC},       {DARWIN_O_EXCL, O_EXCL},           {DARWIN_O_NOFOLLOW, O_NOFOLLOW},
    {DARWIN_O_DIRECTORY, O_DIRECTORY}, {DARWIN_O_CLOEXEC, O_CLOEXEC},   {DARWIN_O_SYNC, O_SYNC},
    {DARWIN_O_DSYNC, O_DSYNC},       {DARWIN_O_NOCTTY, O_NOCTTY},
};

static const struct flag map_flags[] = {
    {DARWIN_MAP_SHARED, MAP_SHARED}, {DARWIN_MAP_PRIVATE, MAP_PRIVATE},       {DARWIN_MAP_FIXED, MAP_FIXED},
    {DARWIN_MAP_ANON, MAP_ANONYMOUS}, {DARWIN_MAP_NORESERVE, MAP_NORESERVE},
};

static const struct flag prot_flags[] = {
    {DARWIN_PROT_READ, PROT_READ}, {DARWIN_PROT_WRITE, PROT_WRITE}, {DARWIN_PROT_EXEC, PROT_EXEC},
};

// exit (libSystem's, which runs atexit handlers and flushes stdio).
static void shim_exit(int status) { exit(status); }

static int *shim_error(void) { return &darwin_errno; }

static ssize_t shim_write(int fd, const void *buf, size_t n) {
	ssize_t r = write(fd, buf, n);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_read(int fd, void *buf, size_t n) {
	ssize_t r = read(fd, buf, n);
	return r < 0 ? fail(-1) : r;
}

static int shim_open(const char *path, int dflags, ...) {
	mode_t mode = 0;
	if (dflags & DARWIN_O_CREAT) {
		va_list ap;
		va_start(ap, dflags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	int acc;
	switch (dflags & DARWIN_O_ACCMODE) {
	case DARWIN_O_RDONLY:
		acc = O_RDONLY;
		break;
	case DARWIN_O_WRONLY:
		acc = O_WRONLY;
		break;
	case DARWIN_O_RDWR:
		acc = O_RDWR;
		break;
	default:
		return (int)invalid(-1);
	}
	int flags = translate(dflags & ~DARWIN_O_ACCMODE, open_flags, N(open_flags));
	if (flags < 0)
		return (int)invalid(-1);
	int fd = open(path, acc | flags, mode);
	return fd < 0 ? (int)fail(-1) : fd;
}

static int shim_close(int fd) { return close(fd) < 0 ? (int)fail(-1) : 0; }

static void *shim_mmap(void *addr, size_t len, int dprot, int dflags, int fd, off_t off) {
	int p = translate(dprot, prot_flags, N(prot_flags));
	int f = translate(dflags, map_flags, N(map_flags));
	if (p < 0 || f < 0)
		return (void *)invalid(-1);
	// Darwin ignores fd with MAP_ANON (it may carry a VM tag); Linux wants -1 to be portable.
	if (dflags & DARWIN_MAP_ANON)
		fd = -1;
	void *r = mmap(addr, len, p, f, fd, off);
	return r == MAP_FAILED ? (void *)fail(-1) : r;
}

static int shim_munmap(void *addr, size_t len) { return munmap(addr, len) < 0 ? (int)fail(-1) : 0; }

static int shim_mprotect(void *addr, size_t len, int dprot) {
	int p = translate(dprot, prot_flags, N(prot_flags));
	if (p < 0)
		return (int)invalid(-1);
	return mprotect(addr, len, p) < 0 ? (int)fail(-1) : 0;
}

// Darwin's clocks by what they count: CLOCK_MONOTONIC goes on while the machine sleeps
// (Linux's CLOCK_BOOTTIME), CLOCK_UPTIME_RAW does not and, like CLOCK_MONOTONIC_RAW, is not
// slewed by NTP (Linux's CLOCK_MONOTONIC_RAW, which stops in suspend).
static int shim_clock_gettime(int dclock, struct timespec *ts) {
	clockid_t c;
	switch (dclock) {
	case DARWIN_CLOCK_REALTIME:
		c = CLOCK_REALTIME;
		break;
	case DARWIN_CLOCK_MONOTONIC:
		c = CLOCK_BOOTTIME;
		break;
	case DARWIN_CLOCK_MONOTONIC_RAW:
	case DARWIN_CLOCK_UPTIME_RAW:
		c = CLOCK_MONOTONIC_RAW;
		break;
	case DARWIN_CLOCK_PROCESS_CPUTIME_ID:
		c = CLOCK_PROCESS_CPUTIME_ID;
		break;
	case DARWIN_CLOCK_THREAD_CPUTIME_ID:
		c = CLOCK_THREAD_CPUTIME_ID;
		break;
	default:
		return (int)invalid(-1);
	}
	// struct timespec is {long tv_sec; long tv_nsec} on both systems.
	return clock_gettime(c, ts) < 0 ? (int)fail(-1) : 0;
}

// symbols are the shim's functions by their Mach-O names: C's name with a leading
// underscore, so C's __error is ___error.
static const struct {
	const char *name;
	void *fn;
} symbols[] = {
    {"___error", (void *)shim_error},
    {"_clock_gettime", (void *)shim_clock_gettime},
    {"_close", (void *)shim_close},
    {"_exit", (void *)shim_exit},
    {"_mmap", (void *)shim_mmap},
    {"_mprotect", (void *)shim_mprotect},
    {"_munmap", (void *)shim_munmap},
    {"_open", (void *)shim_open},
    {"_read", (void *)shim_read},
    {"_write", (void *)shim_write},
};

void *shim_lookup(const char *name) {
	for (size_t i = 0; i < N(symbols); i++)
		if (strcmp(symbols[i].name, name) == 0)
			return symbols[i].fn;
	return 0;
}
