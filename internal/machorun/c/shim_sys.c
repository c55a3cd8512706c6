// The shim's memory, clock, entropy and process functions: mmap's and mprotect's bits,
// Darwin's clock ids, kill's signal numbers.

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "shim_impl.h"

static const struct flag map_flags[] = {
    {DARWIN_MAP_SHARED, MAP_SHARED},  {DARWIN_MAP_PRIVATE, MAP_PRIVATE},     {DARWIN_MAP_FIXED, MAP_FIXED},
    {DARWIN_MAP_ANON, MAP_ANONYMOUS}, {DARWIN_MAP_NORESERVE, MAP_NORESERVE},
};

static const struct flag prot_flags[] = {
    {DARWIN_PROT_READ, PROT_READ},
    {DARWIN_PROT_WRITE, PROT_WRITE},
    {DARWIN_PROT_EXEC, PROT_EXEC},
};

static void *shim_mmap(void *addr, size_t len, int dprot, int dflags, int fd, off_t off) {
	int p = to_linux(dprot, prot_flags, N(prot_flags));
	int f = to_linux(dflags, map_flags, N(map_flags));
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
	int p = to_linux(dprot, prot_flags, N(prot_flags));
	if (p < 0)
		return (int)invalid(-1);
	return mprotect(addr, len, p) < 0 ? (int)fail(-1) : 0;
}

// linux_clock is the Linux clock that counts what Darwin's dclock counts, or -1.
// CLOCK_MONOTONIC goes on while the machine sleeps (Linux's CLOCK_BOOTTIME), CLOCK_UPTIME_RAW
// does not and, like CLOCK_MONOTONIC_RAW, is not slewed by NTP (Linux's CLOCK_MONOTONIC_RAW,
// which stops in suspend).
static clockid_t linux_clock(int dclock) {
	switch (dclock) {
	case DARWIN_CLOCK_REALTIME:
		return CLOCK_REALTIME;
	case DARWIN_CLOCK_MONOTONIC:
		return CLOCK_BOOTTIME;
	case DARWIN_CLOCK_MONOTONIC_RAW:
	case DARWIN_CLOCK_UPTIME_RAW:
		return CLOCK_MONOTONIC_RAW;
	case DARWIN_CLOCK_PROCESS_CPUTIME_ID:
		return CLOCK_PROCESS_CPUTIME_ID;
	case DARWIN_CLOCK_THREAD_CPUTIME_ID:
		return CLOCK_THREAD_CPUTIME_ID;
	}
	return -1;
}

// struct timespec is {long tv_sec; long tv_nsec} on both systems.
_Static_assert(sizeof(struct darwin_Timespec) == sizeof(struct timespec), "timespec");

static int shim_clock_gettime(int dclock, struct timespec *ts) {
	clockid_t c = linux_clock(dclock);
	if (c < 0)
		return (int)invalid(-1);
	return clock_gettime(c, ts) < 0 ? (int)fail(-1) : 0;
}

static int shim_clock_getres(int dclock, struct timespec *ts) {
	clockid_t c = linux_clock(dclock);
	if (c < 0)
		return (int)invalid(-1);
	return clock_getres(c, ts) < 0 ? (int)fail(-1) : 0;
}

static int shim_nanosleep(const struct timespec *req, struct timespec *rem) {
	return nanosleep(req, rem) < 0 ? (int)fail(-1) : 0;
}

// getentropy: at most 256 bytes on both, EIO beyond (getentropy(2) on both).
static int shim_getentropy(void *buf, size_t n) {
	return getentropy(buf, n) < 0 ? (int)fail(-1) : 0;
}

static pid_t shim_getpid(void) { return getpid(); }

static int shim_kill(pid_t pid, int dsig) {
	int sig = dsig == 0 ? 0 : linux_signal(dsig);
	if (sig < 0)
		return (int)invalid(-1);
	return kill(pid, sig) < 0 ? (int)fail(-1) : 0;
}

static int shim_sched_yield(void) { return sched_yield() < 0 ? (int)fail(-1) : 0; }

// ioctl: only TIOCGETA, which the runtime makes to learn whether a descriptor is a
// terminal (fd_fdstat_get's file type) and whose struct termios it does not read, so
// only the answer is translated. The request's third argument is variadic.
static int shim_ioctl(int fd, unsigned long req, VARIADIC_AFTER2 void *arg) {
	(void)arg;
	if (req != (unsigned long)DARWIN_TIOCGETA)
		return (int)invalid(-1);
	struct termios t;
	return tcgetattr(fd, &t) < 0 ? (int)fail(-1) : 0;
}

const struct shim_symbol shim_sys_symbols[] = {
    {"_ioctl", (void *)shim_ioctl},
    {"_mmap", (void *)shim_mmap},
    {"_munmap", (void *)shim_munmap},
    {"_mprotect", (void *)shim_mprotect},
    {"_clock_gettime", (void *)shim_clock_gettime},
    {"_clock_getres", (void *)shim_clock_getres},
    {"_nanosleep", (void *)shim_nanosleep},
    {"_getentropy", (void *)shim_getentropy},
    {"_getpid", (void *)shim_getpid},
    {"_kill", (void *)shim_kill},
    {"_sched_yield", (void *)shim_sched_yield},
    {0, 0},
};
