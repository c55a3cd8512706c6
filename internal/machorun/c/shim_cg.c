// A stopgap for the libSystem functions that wasmc's darwin runtime binds and shim.c does
// not provide yet (rtlib/libsystem.go lists them all, and an executable binds every one):
// the loader looks here only after shim.c, so each function shim.c gains replaces the one
// here. Those whose Darwin and Linux ABIs agree on what the runtime passes are real
// (readv, writev, pread, lseek …); a few translate the little the runtime uses (fcntl's
// descriptor flags, the terminal test, ignoring SIGPIPE, getentropy); the rest fail with
// ENOSYS. Darwin's numbers are darwin.h's, from GOROOT, as shim.c's are.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "darwin.h"
#include "shim.h"
#include "shim_cg.h"

// What darwin.h lacks yet (GOROOT syscall/zerrors_darwin_amd64.go's values).
#ifndef DARWIN_F_GETFD
#define DARWIN_F_GETFD 0x1
#define DARWIN_F_GETFL 0x3
#define DARWIN_F_SETFL 0x4
#endif
#ifndef DARWIN_TIOCGETA
#define DARWIN_TIOCGETA 0x40487413
#endif

// set_errno sets the Darwin errno (shim.c's, through ___error) from Linux's errno e:
// 1 to 34 but EAGAIN are the same numbers on both.
static void set_errno(int e) {
	int d = e == EAGAIN ? DARWIN_EAGAIN : e == ENOSYS ? DARWIN_ENOSYS : e < 35 ? e : DARWIN_EIO;
	int *(*err)(void) = (int *(*)(void))shim_lookup("___error");
	*err() = d;
}

static long cg_fail(void) {
	set_errno(errno);
	return -1;
}

static long RESULT(long r) { return r < 0 ? cg_fail() : r; }

static void cg_exit(int status) { _exit(status); }
static ssize_t cg_readv(int fd, const struct iovec *iov, int n) { return RESULT(readv(fd, iov, n)); }
static ssize_t cg_writev(int fd, const struct iovec *iov, int n) { return RESULT(writev(fd, iov, n)); }
static ssize_t cg_pread(int fd, void *b, size_t n, off_t o) { return RESULT(pread(fd, b, n, o)); }
static ssize_t cg_pwrite(int fd, const void *b, size_t n, off_t o) { return RESULT(pwrite(fd, b, n, o)); }
static off_t cg_lseek(int fd, off_t o, int whence) { return RESULT(lseek(fd, o, whence)); }
static int cg_getpid(void) { return getpid(); }
static int cg_sched_yield(void) { return sched_yield(); }
static int cg_fsync(int fd) { return (int)RESULT(fsync(fd)); }
static int cg_fdatasync(int fd) { return (int)RESULT(fdatasync(fd)); }
static int cg_ftruncate(int fd, off_t n) { return (int)RESULT(ftruncate(fd, n)); }
static int cg_dup(int fd) { return (int)RESULT(dup(fd)); }
static int cg_poll(struct pollfd *p, unsigned n, int ms) { return (int)RESULT(poll(p, n, ms)); }

// fcntl: F_GETFD, F_GETFL and F_SETFL have the same numbers; the status flags the
// runtime reads and sets are translated.
static int cg_fcntl(int fd, int cmd, long arg) {
	switch (cmd) {
	case DARWIN_F_GETFD:
		return (int)RESULT(fcntl(fd, F_GETFD));
	case DARWIN_F_GETFL: {
		int r = fcntl(fd, F_GETFL);
		if (r < 0)
			return (int)cg_fail();
		return (r & O_ACCMODE) | (r & O_APPEND ? DARWIN_O_APPEND : 0) | (r & O_NONBLOCK ? DARWIN_O_NONBLOCK : 0);
	}
	case DARWIN_F_SETFL: {
		int f = (arg & DARWIN_O_APPEND ? O_APPEND : 0) | (arg & DARWIN_O_NONBLOCK ? O_NONBLOCK : 0);
		return (int)RESULT(fcntl(fd, F_SETFL, f));
	}
	}
	set_errno(EINVAL);
	return -1;
}

// ioctl: TIOCGETA, the terminal test, as TCGETS (the contents are not translated: the
// runtime only asks whether there is a terminal).
static int cg_ioctl(int fd, unsigned long req, void *arg) {
	if (req != DARWIN_TIOCGETA) {
		set_errno(EINVAL);
		return -1;
	}
	struct termios t;
	(void)arg;
	return (int)RESULT(tcgetattr(fd, &t));
}

// sigaction: only setting SIG_DFL or SIG_IGN (Darwin's struct sigaction begins with the
// handler; the numbers of SIGPIPE and the two dispositions are the same).
static int cg_sigaction(int sig, const uint64_t *act, void *old) {
	if (old != 0 || act == 0 || act[0] > 1 || sig != SIGPIPE) {
		set_errno(ENOSYS);
		return -1;
	}
	return signal(sig, act[0] == 1 ? SIG_IGN : SIG_DFL) == SIG_ERR ? (int)cg_fail() : 0;
}

static int cg_getentropy(void *b, size_t n) {
	if (n > 256) {
		set_errno(EINVAL);
		return -1;
	}
	return getrandom(b, n, 0) == (ssize_t)n ? 0 : (int)cg_fail();
}

static long cg_enosys(void) {
	set_errno(ENOSYS);
	return -1;
}

// The functions by their Mach-O names; those bound to cg_enosys return -1 (or NULL) and
// ENOSYS whatever their arguments.
static const struct {
	const char *name;
	void *fn;
} cg_symbols[] = {
    {"__exit", (void *)cg_exit},
    {"_readv", (void *)cg_readv},
    {"_writev", (void *)cg_writev},
    {"_pread", (void *)cg_pread},
    {"_pwrite", (void *)cg_pwrite},
    {"_lseek", (void *)cg_lseek},
    {"_getpid", (void *)cg_getpid},
    {"_sched_yield", (void *)cg_sched_yield},
    {"_fsync", (void *)cg_fsync},
    {"_fdatasync", (void *)cg_fdatasync},
    {"_ftruncate", (void *)cg_ftruncate},
    {"_dup", (void *)cg_dup},
    {"_poll", (void *)cg_poll},
    {"_fcntl", (void *)cg_fcntl},
    {"_ioctl", (void *)cg_ioctl},
    {"_sigaction", (void *)cg_sigaction},
    {"_getentropy", (void *)cg_getentropy},
    {"_openat", (void *)cg_enosys},
    {"_clock_getres", (void *)cg_enosys},
    {"_mkdirat", (void *)cg_enosys},
    {"_unlinkat", (void *)cg_enosys},
    {"_symlinkat", (void *)cg_enosys},
    {"_readlinkat", (void *)cg_enosys},
    {"_linkat", (void *)cg_enosys},
    {"_utimensat", (void *)cg_enosys},
    {"_kill", (void *)cg_enosys},
    {"_socket", (void *)cg_enosys},
    {"_setsockopt", (void *)cg_enosys},
    {"_getsockopt", (void *)cg_enosys},
    {"_bind", (void *)cg_enosys},
    {"_listen", (void *)cg_enosys},
    {"_recvmsg", (void *)cg_enosys},
    {"_sendmsg", (void *)cg_enosys},
    {"_shutdown", (void *)cg_enosys},
    {"_fstat", (void *)cg_enosys},
    {"_fstat$INODE64", (void *)cg_enosys},
    {"_fstatat", (void *)cg_enosys},
    {"_fstatat$INODE64", (void *)cg_enosys},
    {"_fdopendir", (void *)cg_enosys},
    {"_fdopendir$INODE64", (void *)cg_enosys},
    {"_readdir", (void *)cg_enosys},
    {"_readdir$INODE64", (void *)cg_enosys},
    {"_closedir", (void *)cg_enosys},
    {"_telldir", (void *)cg_enosys},
    {"_telldir$INODE64", (void *)cg_enosys},
    {"_seekdir", (void *)cg_enosys},
    {"_seekdir$INODE64", (void *)cg_enosys},
    {"_renameat", (void *)cg_enosys},
    {"_futimens", (void *)cg_enosys},
    {"_accept", (void *)cg_enosys},
    {"_sigaltstack", (void *)cg_enosys},
};

void *shim_cg_lookup(const char *name) {
	for (size_t i = 0; i < sizeof cg_symbols / sizeof cg_symbols[0]; i++)
		if (strcmp(cg_symbols[i].name, name) == 0)
			return cg_symbols[i].fn;
	return 0;
}
