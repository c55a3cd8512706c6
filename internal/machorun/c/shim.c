// The shim: libSystem's functions for a Mach-O run by the loader, each translating Darwin's
// ABI to Linux's (glibc's) and back: flag bits, constants, struct layouts, signal numbers
// and errno numbers. The Darwin numbers and structs are in darwin.h, generated from Go's
// darwin tables; the Linux ones are glibc's headers', so the two sides come from independent
// sources. This file holds what the others share and the symbol lookup; shim_file.c,
// shim_dir.c, shim_sys.c, shim_net.c and shim_signal.c hold the functions.
//
// The calling convention needs no translation on x86_64: macOS and Linux both follow the
// System V AMD64 ABI, variadic calls included (open's mode). On arm64 Apple passes a
// variadic function's variadic arguments on the stack (see VARIADIC_AFTER2 in shim_impl.h).
//
// Errors: each function returns what libSystem's does and sets the Darwin errno, which
// ___error (C's __error, behind Darwin's errno macro) points at. A Linux errno with no
// Darwin counterpart aborts with a message; an argument with bits the shim does not
// translate fails with EINVAL.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "shim_impl.h"

static _Thread_local int darwin_errno;

_Noreturn void shim_abort(const char *fn, const char *fmt, long long v) {
	fprintf(stderr, "machorun: shim %s: ", fn);
	fprintf(stderr, fmt, v);
	fputc('\n', stderr);
	abort();
}

int to_darwin_errno(int e) {
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

long fail(long r) {
	darwin_errno = to_darwin_errno(errno);
	return r;
}

long fail_with(int e, long r) {
	darwin_errno = e;
	return r;
}

long invalid(long r) { return fail_with(DARWIN_EINVAL, r); }

int to_linux(int flags, const struct flag *tab, size_t n) {
	int out = 0;
	for (size_t i = 0; i < n; i++) {
		if (flags & tab[i].darwin) {
			out |= tab[i].linux_;
			flags &= ~tab[i].darwin;
		}
	}
	return flags ? -1 : out;
}

int to_darwin(int flags, const struct flag *tab, size_t n) {
	int out = 0;
	for (size_t i = 0; i < n; i++)
		if ((flags & tab[i].linux_) == tab[i].linux_ && tab[i].linux_)
			out |= tab[i].darwin;
	return out;
}

// O_SYNC includes O_DSYNC's bit on Linux, and to_darwin reads each entry's bits whole, so
// O_DSYNC comes after it: a file opened O_SYNC reads back as O_SYNC|O_DSYNC, as on Linux.
static const struct flag open_flag_tab[] = {
    {DARWIN_O_NONBLOCK, O_NONBLOCK},   {DARWIN_O_APPEND, O_APPEND},   {DARWIN_O_CREAT, O_CREAT},
    {DARWIN_O_TRUNC, O_TRUNC},         {DARWIN_O_EXCL, O_EXCL},       {DARWIN_O_NOFOLLOW, O_NOFOLLOW},
    {DARWIN_O_DIRECTORY, O_DIRECTORY}, {DARWIN_O_CLOEXEC, O_CLOEXEC}, {DARWIN_O_SYNC, O_SYNC},
    {DARWIN_O_DSYNC, O_DSYNC},         {DARWIN_O_NOCTTY, O_NOCTTY},
};

int open_flags(int dflags) {
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
		return -1;
	}
	int flags = to_linux(dflags & ~DARWIN_O_ACCMODE, open_flag_tab, N(open_flag_tab));
	return flags < 0 ? -1 : acc | flags;
}

int open_flags_darwin(int flags) {
	int acc = (flags & O_ACCMODE) == O_WRONLY ? DARWIN_O_WRONLY
	          : (flags & O_ACCMODE) == O_RDWR ? DARWIN_O_RDWR
	                                          : DARWIN_O_RDONLY;
	return acc | to_darwin(flags & ~O_ACCMODE, open_flag_tab, N(open_flag_tab));
}

int at_fd(int dfd) { return dfd == DARWIN_AT_FDCWD ? AT_FDCWD : dfd; }

// exit (libSystem's, which runs atexit handlers and flushes stdio), and _exit, which does
// not.
static void shim_exit(int status) { exit(status); }

static void shim__exit(int status) { _exit(status); }

static int *shim_error(void) { return &darwin_errno; }

static const struct shim_symbol core_symbols[] = {
    {"___error", (void *)shim_error},
    {"_exit", (void *)shim_exit},
    {"__exit", (void *)shim__exit},
    {0, 0},
};

// shim_cg_symbols is an optional table that a further file may define, for functions a
// code generator's runtime needs before they move here.
extern const struct shim_symbol shim_cg_symbols[] __attribute__((weak));

void *shim_lookup(const char *name) {
	const struct shim_symbol *tables[] = {core_symbols,     shim_file_symbols, shim_dir_symbols,
	                                      shim_sys_symbols, shim_net_symbols,  shim_signal_symbols,
	                                      shim_cg_symbols};
	for (size_t t = 0; t < N(tables); t++)
		for (const struct shim_symbol *s = tables[t]; s && s->name; s++)
			if (strcmp(s->name, name) == 0)
				return s->fn;
	return 0;
}
