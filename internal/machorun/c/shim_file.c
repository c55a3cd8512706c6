// The shim's file functions: descriptors, paths relative to a directory (AT_FDCWD and the
// AT_* flags differ), struct stat (Darwin's 64-bit-inode layout from Go's Stat_t), times
// (UTIME_NOW and UTIME_OMIT differ) and poll's event bits.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim_impl.h"

// struct iovec is {base, len} on both systems.
_Static_assert(sizeof(struct darwin_Iovec) == sizeof(struct iovec), "iovec");
_Static_assert(offsetof(struct darwin_Iovec, Len) == offsetof(struct iovec, iov_len), "iovec");

static ssize_t shim_read(int fd, void *buf, size_t n) {
	ssize_t r = read(fd, buf, n);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_write(int fd, const void *buf, size_t n) {
	ssize_t r = write(fd, buf, n);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_pread(int fd, void *buf, size_t n, off_t off) {
	ssize_t r = pread(fd, buf, n, off);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_pwrite(int fd, const void *buf, size_t n, off_t off) {
	ssize_t r = pwrite(fd, buf, n, off);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_readv(int fd, const struct iovec *iov, int n) {
	ssize_t r = readv(fd, iov, n);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_writev(int fd, const struct iovec *iov, int n) {
	ssize_t r = writev(fd, iov, n);
	return r < 0 ? fail(-1) : r;
}

// open(path, flags, ...) and openat(fd, path, flags, ...): the mode is variadic, read only
// with O_CREAT, as libSystem's open reads it.
static int shim_open(const char *path, int dflags, VARIADIC_AFTER2 long mode) {
	int flags = open_flags(dflags);
	if (flags < 0)
		return (int)invalid(-1);
	int fd = open(path, flags, dflags & DARWIN_O_CREAT ? (mode_t)mode : 0);
	return fd < 0 ? (int)fail(-1) : fd;
}

static int shim_openat(int dfd, const char *path, int dflags, VARIADIC_AFTER3 long mode) {
	int flags = open_flags(dflags);
	if (flags < 0)
		return (int)invalid(-1);
	int fd = openat(at_fd(dfd), path, flags, dflags & DARWIN_O_CREAT ? (mode_t)mode : 0);
	return fd < 0 ? (int)fail(-1) : fd;
}

static int shim_close(int fd) { return close(fd) < 0 ? (int)fail(-1) : 0; }

// lseek's whence values SEEK_SET, SEEK_CUR and SEEK_END are 0, 1 and 2 on both systems (Go's
// os package passes io.Seek* to darwin's lseek as they are); Darwin's SEEK_HOLE and
// SEEK_DATA, 3 and 4, are Linux's SEEK_DATA and SEEK_HOLE swapped, and are refused.
static off_t shim_lseek(int fd, off_t off, int whence) {
	if (whence < 0 || whence > 2)
		return invalid(-1);
	off_t r = lseek(fd, off, whence);
	return r < 0 ? fail(-1) : r;
}

static int shim_dup(int fd) {
	int r = dup(fd);
	return r < 0 ? (int)fail(-1) : r;
}

static int shim_fcntl(int fd, int cmd, VARIADIC_AFTER2 long arg) {
	int r;
	switch (cmd) {
	case DARWIN_F_DUPFD:
		r = fcntl(fd, F_DUPFD, (int)arg);
		break;
	case DARWIN_F_DUPFD_CLOEXEC:
		r = fcntl(fd, F_DUPFD_CLOEXEC, (int)arg);
		break;
	case DARWIN_F_GETFD:
		r = fcntl(fd, F_GETFD);
		if (r >= 0)
			r = r & FD_CLOEXEC ? DARWIN_FD_CLOEXEC : 0;
		break;
	case DARWIN_F_SETFD:
		if (arg & ~DARWIN_FD_CLOEXEC)
			return (int)invalid(-1);
		r = fcntl(fd, F_SETFD, arg & DARWIN_FD_CLOEXEC ? FD_CLOEXEC : 0);
		break;
	case DARWIN_F_GETFL:
		r = fcntl(fd, F_GETFL);
		if (r >= 0)
			r = open_flags_darwin(r);
		break;
	case DARWIN_F_SETFL: {
		int flags = open_flags((int)arg & ~DARWIN_O_ACCMODE);
		if (flags < 0)
			return (int)invalid(-1);
		r = fcntl(fd, F_SETFL, flags);
		break;
	}
	case DARWIN_F_GETPATH: {
		// The path of the open file, into a buffer of MAXPATHLEN bytes.
		char link[64];
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, (char *)arg, DARWIN_MAXPATHLEN - 1);
		if (n < 0)
			return (int)fail(-1);
		((char *)arg)[n] = 0;
		return 0;
	}
	case DARWIN_F_FULLFSYNC:
		r = fsync(fd);
		break;
	default:
		return (int)invalid(-1);
	}
	return r < 0 ? (int)fail(-1) : r;
}

static int shim_ftruncate(int fd, off_t len) { return ftruncate(fd, len) < 0 ? (int)fail(-1) : 0; }

static int shim_fsync(int fd) { return fsync(fd) < 0 ? (int)fail(-1) : 0; }

// The file type bits of st_mode; the permission bits are POSIX's on both.
static const struct flag file_types[] = {
    {DARWIN_S_IFIFO, S_IFIFO}, {DARWIN_S_IFCHR, S_IFCHR}, {DARWIN_S_IFDIR, S_IFDIR}, {DARWIN_S_IFBLK, S_IFBLK},
    {DARWIN_S_IFREG, S_IFREG}, {DARWIN_S_IFLNK, S_IFLNK}, {DARWIN_S_IFSOCK, S_IFSOCK},
};

static uint16_t darwin_mode(unsigned mode) {
	int type = 0;
	for (size_t i = 0; i < N(file_types); i++)
		if ((int)(mode & S_IFMT) == file_types[i].linux_)
			type = file_types[i].darwin;
	return (uint16_t)(type | (mode & 07777));
}

// Darwin's dev_t is 32 bits, major in the top 8 (<sys/types.h>'s makedev).
static int32_t darwin_dev(unsigned major, unsigned minor) { return (int32_t)(major << 24 | (minor & 0xffffff)); }

static struct darwin_Timespec darwin_time(struct statx_timestamp t) {
	return (struct darwin_Timespec){.Sec = t.tv_sec, .Nsec = t.tv_nsec};
}

// stat_at fills Darwin's struct stat from statx, which gives the birth time as Darwin's has.
static int stat_at(int fd, const char *path, int flags, struct darwin_Stat_t *st) {
	struct statx x;
	if (statx(fd, path, flags, STATX_BASIC_STATS | STATX_BTIME, &x) < 0)
		return (int)fail(-1);
	memset(st, 0, sizeof *st);
	st->Dev = darwin_dev(x.stx_dev_major, x.stx_dev_minor);
	st->Mode = darwin_mode(x.stx_mode);
	st->Nlink = (uint16_t)(x.stx_nlink > UINT16_MAX ? UINT16_MAX : x.stx_nlink);
	st->Ino = x.stx_ino;
	st->Uid = x.stx_uid;
	st->Gid = x.stx_gid;
	st->Rdev = darwin_dev(x.stx_rdev_major, x.stx_rdev_minor);
	st->Atimespec = darwin_time(x.stx_atime);
	st->Mtimespec = darwin_time(x.stx_mtime);
	st->Ctimespec = darwin_time(x.stx_ctime);
	st->Birthtimespec = darwin_time(x.stx_mask & STATX_BTIME ? x.stx_btime : x.stx_ctime);
	st->Size = (int64_t)x.stx_size;
	st->Blocks = (int64_t)x.stx_blocks;
	st->Blksize = (int32_t)x.stx_blksize;
	return 0;
}

static int shim_fstat(int fd, struct darwin_Stat_t *st) { return stat_at(fd, "", AT_EMPTY_PATH, st); }

static int shim_fstatat(int dfd, const char *path, struct darwin_Stat_t *st, int dflags) {
	if (dflags & ~DARWIN_AT_SYMLINK_NOFOLLOW)
		return (int)invalid(-1);
	return stat_at(at_fd(dfd), path, dflags & DARWIN_AT_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0, st);
}

static int shim_mkdirat(int dfd, const char *path, mode_t mode) {
	return mkdirat(at_fd(dfd), path, mode) < 0 ? (int)fail(-1) : 0;
}

static int shim_unlinkat(int dfd, const char *path, int dflags) {
	if (dflags & ~DARWIN_AT_REMOVEDIR)
		return (int)invalid(-1);
	return unlinkat(at_fd(dfd), path, dflags & DARWIN_AT_REMOVEDIR ? AT_REMOVEDIR : 0) < 0 ? (int)fail(-1) : 0;
}

static int shim_renameat(int from, const char *fpath, int to, const char *tpath) {
	return renameat(at_fd(from), fpath, at_fd(to), tpath) < 0 ? (int)fail(-1) : 0;
}

static int shim_symlinkat(const char *target, int dfd, const char *path) {
	return symlinkat(target, at_fd(dfd), path) < 0 ? (int)fail(-1) : 0;
}

static ssize_t shim_readlinkat(int dfd, const char *path, char *buf, size_t n) {
	ssize_t r = readlinkat(at_fd(dfd), path, buf, n);
	return r < 0 ? fail(-1) : r;
}

static int shim_linkat(int from, const char *fpath, int to, const char *tpath, int dflags) {
	if (dflags & ~DARWIN_AT_SYMLINK_FOLLOW)
		return (int)invalid(-1);
	int flags = dflags & DARWIN_AT_SYMLINK_FOLLOW ? AT_SYMLINK_FOLLOW : 0;
	return linkat(at_fd(from), fpath, at_fd(to), tpath, flags) < 0 ? (int)fail(-1) : 0;
}

// linux_times copies Darwin's two timespecs (struct timespec is {sec, nsec} on both) with
// UTIME_NOW and UTIME_OMIT translated; a null pointer means now for both.
static struct timespec *linux_times(const struct darwin_Timespec *d, struct timespec t[2]) {
	if (!d)
		return 0;
	for (int i = 0; i < 2; i++) {
		t[i].tv_sec = d[i].Sec;
		t[i].tv_nsec = d[i].Nsec == DARWIN_UTIME_NOW    ? UTIME_NOW
		               : d[i].Nsec == DARWIN_UTIME_OMIT ? UTIME_OMIT
		                                                : d[i].Nsec;
	}
	return t;
}

static int shim_futimens(int fd, const struct darwin_Timespec *times) {
	struct timespec t[2];
	return futimens(fd, linux_times(times, t)) < 0 ? (int)fail(-1) : 0;
}

static int shim_utimensat(int dfd, const char *path, const struct darwin_Timespec *times, int dflags) {
	if (dflags & ~DARWIN_AT_SYMLINK_NOFOLLOW)
		return (int)invalid(-1);
	struct timespec t[2];
	int flags = dflags & DARWIN_AT_SYMLINK_NOFOLLOW ? AT_SYMLINK_NOFOLLOW : 0;
	return utimensat(at_fd(dfd), path, linux_times(times, t), flags) < 0 ? (int)fail(-1) : 0;
}

// poll's events: Darwin's POLLWRNORM is POLLOUT, Linux's is a bit of its own, and
// POLLWRBAND differs. A Darwin 4 asks Linux for both POLLOUT and POLLWRNORM, as it means
// both, and either reads back as 4 (to_linux uses the first entry with the Darwin bit,
// to_darwin every entry whose Linux bits are all set).
static const struct flag poll_events[] = {
    {DARWIN_POLLIN, POLLIN},         {DARWIN_POLLPRI, POLLPRI},         {DARWIN_POLLOUT, POLLOUT | POLLWRNORM},
    {DARWIN_POLLOUT, POLLOUT},       {DARWIN_POLLWRNORM, POLLWRNORM},   {DARWIN_POLLERR, POLLERR},
    {DARWIN_POLLHUP, POLLHUP},       {DARWIN_POLLNVAL, POLLNVAL},       {DARWIN_POLLRDNORM, POLLRDNORM},
    {DARWIN_POLLRDBAND, POLLRDBAND}, {DARWIN_POLLWRBAND, POLLWRBAND},
};

static int shim_poll(struct darwin_PollFd *fds, unsigned nfds, int timeout) {
	struct pollfd few[16], *p = nfds <= N(few) ? few : calloc(nfds, sizeof *p);
	if (!p)
		return (int)fail_with(DARWIN_ENOMEM, -1);
	int r = 0;
	for (unsigned i = 0; i < nfds; i++) {
		int ev = to_linux(fds[i].Events, poll_events, N(poll_events));
		if (ev < 0) {
			r = (int)invalid(-1);
			goto out;
		}
		p[i] = (struct pollfd){.fd = fds[i].Fd, .events = (short)ev};
	}
	r = poll(p, nfds, timeout);
	if (r < 0) {
		r = (int)fail(-1);
		goto out;
	}
	for (unsigned i = 0; i < nfds; i++)
		fds[i].Revents = (int16_t)to_darwin(p[i].revents, poll_events, N(poll_events));
out:
	if (p != few)
		free(p);
	return r;
}

static int shim_fdatasync(int fd) { return fdatasync(fd) < 0 ? (int)fail(-1) : 0; }

const struct shim_symbol shim_file_symbols[] = {
    {"_fdatasync", (void *)shim_fdatasync},
    {"_read", (void *)shim_read},
    {"_write", (void *)shim_write},
    {"_pread", (void *)shim_pread},
    {"_pwrite", (void *)shim_pwrite},
    {"_readv", (void *)shim_readv},
    {"_writev", (void *)shim_writev},
    {"_open", (void *)shim_open},
    {"_openat", (void *)shim_openat},
    {"_close", (void *)shim_close},
    {"_lseek", (void *)shim_lseek},
    {"_dup", (void *)shim_dup},
    {"_fcntl", (void *)shim_fcntl},
    {"_ftruncate", (void *)shim_ftruncate},
    {"_fsync", (void *)shim_fsync},
    {INODE64("_fstat"), (void *)shim_fstat},
    {INODE64("_fstatat"), (void *)shim_fstatat},
    {"_mkdirat", (void *)shim_mkdirat},
    {"_unlinkat", (void *)shim_unlinkat},
    {"_renameat", (void *)shim_renameat},
    {"_symlinkat", (void *)shim_symlinkat},
    {"_readlinkat", (void *)shim_readlinkat},
    {"_linkat", (void *)shim_linkat},
    {"_futimens", (void *)shim_futimens},
    {"_utimensat", (void *)shim_utimensat},
    {"_poll", (void *)shim_poll},
    {0, 0},
};
