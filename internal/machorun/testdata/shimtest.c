// shimtest calls the shim's functions, found by their Mach-O names with shim_lookup, as a
// Darwin program would: Darwin's constants (darwin.h) and struct layouts, Darwin's errno
// through ___error. It prints "ok NAME" for each function whose checks pass and
// "FAIL NAME: why" otherwise, and exits 1 on any failure; TestShim runs it and requires an
// "ok" for every symbol the shim provides. It runs in a fresh temporary directory.
//
// Each check is chosen to fail without the shim's translation: flags whose bits differ
// between the systems, errno numbers that differ (EAGAIN is 35 on Darwin, 11 on Linux), or
// a sentinel in errno that only the shim's error path overwrites.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "darwin.h"
#include "shim.h"

static int failures;
static const char *current;
static int current_failed;

static void *sym(const char *name) {
	void *f = shim_lookup(name);
	if (!f) {
		printf("FAIL %s: not in the shim\n", name);
		exit(1);
	}
	return f;
}

#define FN(T, name) ((T)sym(name))
#define DERRNO (*FN(int *(*)(void), "___error")())

static void begin(const char *name) {
	current = name;
	current_failed = 0;
}

static void end(void) {
	if (!current_failed)
		printf("ok %s\n", current);
}

#define CHECK(cond, ...)                                                                                               \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			printf("FAIL %s: line %d: %s: ", current, __LINE__, #cond);                                        \
			printf(__VA_ARGS__);                                                                           \
			printf("\n");                                                                                  \
			failures++;                                                                                    \
			current_failed = 1;                                                                            \
		}                                                                                                      \
	} while (0)

// The Darwin calling convention for variadic functions: on arm64 the variadic arguments go
// on the stack, which the shim reads as its ninth parameter.
#if defined(__aarch64__)
#define OPEN(path, flags, mode) FN(int (*)(const char *, int, long, long, long, long, long, long, long), "_open")(path, flags, 0, 0, 0, 0, 0, 0, mode)
#define OPENAT(fd, path, flags, mode) FN(int (*)(int, const char *, int, long, long, long, long, long, long), "_openat")(fd, path, flags, 0, 0, 0, 0, 0, mode)
#define FCNTL(fd, cmd, arg) FN(int (*)(int, int, long, long, long, long, long, long, long), "_fcntl")(fd, cmd, 0, 0, 0, 0, 0, 0, (long)(arg))
#else
#define OPEN(path, flags, mode) FN(int (*)(const char *, int, long), "_open")(path, flags, mode)
#define OPENAT(fd, path, flags, mode) FN(int (*)(int, const char *, int, long), "_openat")(fd, path, flags, mode)
#define FCNTL(fd, cmd, arg) FN(int (*)(int, int, long), "_fcntl")(fd, cmd, (long)(arg))
#endif

#if defined(__x86_64__)
#define INODE64(name) name "$INODE64"
#else
#define INODE64(name) name
#endif

#define SENTINEL 12345

static void nonblocking_pipe(int p[2]) {
	if (pipe(p) < 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(p[1], F_SETFL, O_NONBLOCK) < 0) {
		perror("pipe");
		exit(2);
	}
}

static void test_io(void) {
	int p[2];
	nonblocking_pipe(p);
	char buf[16];

	begin("_read");
	DERRNO = SENTINEL;
	ssize_t r = FN(ssize_t (*)(int, void *, size_t), "_read")(p[0], buf, sizeof buf);
	CHECK(r == -1 && DERRNO == DARWIN_EAGAIN, "r %zd errno %d", r, DERRNO);
	end();

	begin("_write");
	r = FN(ssize_t (*)(int, const void *, size_t), "_write")(p[1], "hi", 2);
	CHECK(r == 2 && read(p[0], buf, 2) == 2 && memcmp(buf, "hi", 2) == 0, "r %zd", r);
	static char big[1 << 16];
	while (write(p[1], big, sizeof big) > 0) {
	}
	DERRNO = SENTINEL;
	r = FN(ssize_t (*)(int, const void *, size_t), "_write")(p[1], big, sizeof big);
	CHECK(r == -1 && DERRNO == DARWIN_EAGAIN, "full pipe: r %zd errno %d", r, DERRNO);
	end();

	begin("_writev");
	struct darwin_Iovec iov[2] = {{(uint64_t)(uintptr_t) "ab", 2}, {(uint64_t)(uintptr_t) "cd", 2}};
	DERRNO = SENTINEL;
	r = FN(ssize_t (*)(int, const void *, int), "_writev")(p[1], iov, 2);
	CHECK(r == -1 && DERRNO == DARWIN_EAGAIN, "full pipe: r %zd errno %d", r, DERRNO);
	close(p[0]);
	close(p[1]);
	nonblocking_pipe(p);
	r = FN(ssize_t (*)(int, const void *, int), "_writev")(p[1], iov, 2);
	CHECK(r == 4 && read(p[0], buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0, "r %zd", r);
	end();

	begin("_readv");
	char x[2], y[3];
	struct darwin_Iovec riov[2] = {{(uint64_t)(uintptr_t)x, 2}, {(uint64_t)(uintptr_t)y, 3}};
	DERRNO = SENTINEL;
	r = FN(ssize_t (*)(int, const void *, int), "_readv")(p[0], riov, 2);
	CHECK(r == -1 && DERRNO == DARWIN_EAGAIN, "empty pipe: r %zd errno %d", r, DERRNO);
	write(p[1], "vwxyz", 5);
	r = FN(ssize_t (*)(int, const void *, int), "_readv")(p[0], riov, 2);
	CHECK(r == 5 && memcmp(x, "vw", 2) == 0 && memcmp(y, "xyz", 3) == 0, "r %zd", r);
	end();

	begin("_pread");
	DERRNO = SENTINEL;
	r = FN(ssize_t (*)(int, void *, size_t, off_t), "_pread")(p[0], buf, 1, 0);
	CHECK(r == -1 && DERRNO == DARWIN_ESPIPE, "pipe: r %zd errno %d", r, DERRNO);
	int fd = open("pfile", O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(fd, "0123456789", 10);
	r = FN(ssize_t (*)(int, void *, size_t, off_t), "_pread")(fd, buf, 3, 4);
	CHECK(r == 3 && memcmp(buf, "456", 3) == 0, "r %zd", r);
	end();

	begin("_pwrite");
	DERRNO = SENTINEL;
	r = FN(ssize_t (*)(int, const void *, size_t, off_t), "_pwrite")(p[1], "x", 1, 0);
	CHECK(r == -1 && DERRNO == DARWIN_ESPIPE, "pipe: r %zd errno %d", r, DERRNO);
	r = FN(ssize_t (*)(int, const void *, size_t, off_t), "_pwrite")(fd, "AB", 2, 8);
	CHECK(r == 2 && pread(fd, buf, 10, 0) == 10 && memcmp(buf, "01234567AB", 10) == 0, "r %zd", r);
	end();
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void test_files(void) {
	struct stat st;

	begin("_open");
	// Darwin's O_CREAT is 0x200, Linux's O_TRUNC: untranslated, nothing is created.
	int fd = OPEN("f", DARWIN_O_WRONLY | DARWIN_O_CREAT | DARWIN_O_EXCL, 0640);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640, "fd %d errno %d", fd, DERRNO);
	DERRNO = SENTINEL;
	int fd2 = OPEN("f", DARWIN_O_WRONLY | DARWIN_O_CREAT | DARWIN_O_EXCL, 0640);
	CHECK(fd2 == -1 && DERRNO == DARWIN_EEXIST, "fd %d errno %d", fd2, DERRNO);
	char longname[400];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	DERRNO = SENTINEL;
	fd2 = OPEN(longname, DARWIN_O_RDONLY, 0);
	CHECK(fd2 == -1 && DERRNO == DARWIN_ENAMETOOLONG, "errno %d", DERRNO);
	end();

	begin("_fcntl");
	int afd = OPEN("f", DARWIN_O_WRONLY | DARWIN_O_APPEND, 0);
	int fl = FCNTL(afd, DARWIN_F_GETFL, 0);
	CHECK(fl == (DARWIN_O_WRONLY | DARWIN_O_APPEND), "F_GETFL %#x", fl);
	CHECK(FCNTL(afd, DARWIN_F_SETFL, DARWIN_O_NONBLOCK) == 0 && (fcntl(afd, F_GETFL) & O_NONBLOCK),
	      "F_SETFL O_NONBLOCK");
	CHECK(FCNTL(afd, DARWIN_F_SETFD, DARWIN_FD_CLOEXEC) == 0 && FCNTL(afd, DARWIN_F_GETFD, 0) == DARWIN_FD_CLOEXEC,
	      "F_SETFD");
	int d = FCNTL(afd, DARWIN_F_DUPFD_CLOEXEC, 50);
	CHECK(d >= 50 && (fcntl(d, F_GETFD) & FD_CLOEXEC), "F_DUPFD_CLOEXEC %d", d);
	char path[1024];
	CHECK(FCNTL(afd, DARWIN_F_GETPATH, path) == 0 && strstr(path, "/f") && path[strlen(path) - 1] == 'f',
	      "F_GETPATH %s", path);
	close(d);
	close(afd);
	end();

	begin("_close");
	CHECK(FN(int (*)(int), "_close")(fd) == 0, "close");
	DERRNO = SENTINEL;
	CHECK(FN(int (*)(int), "_close")(fd) == -1 && DERRNO == DARWIN_EBADF, "errno %d", DERRNO);
	end();

	begin("_openat");
	symlink("f", "lnk");
	DERRNO = SENTINEL;
	// Darwin's AT_FDCWD is -2; O_NOFOLLOW on a link fails with ELOOP (62, Linux's 40).
	fd = OPENAT(DARWIN_AT_FDCWD, "lnk", DARWIN_O_RDONLY | DARWIN_O_NOFOLLOW, 0);
	CHECK(fd == -1 && DERRNO == DARWIN_ELOOP, "fd %d errno %d", fd, DERRNO);
	fd = OPENAT(DARWIN_AT_FDCWD, "g", DARWIN_O_RDWR | DARWIN_O_CREAT, 0604);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0604, "fd %d errno %d", fd, DERRNO);
	end();

	begin("_lseek");
	write(fd, "hello", 5);
	off_t o = FN(off_t (*)(int, off_t, int), "_lseek")(fd, -2, SEEK_END);
	CHECK(o == 3, "SEEK_END: %lld", (long long)o);
	DERRNO = SENTINEL;
	o = FN(off_t (*)(int, off_t, int), "_lseek")(fd, 0, 3);
	CHECK(o == -1 && DERRNO == DARWIN_EINVAL, "whence 3 (SEEK_HOLE): %lld errno %d", (long long)o, DERRNO);
	end();

	begin("_dup");
	d = FN(int (*)(int), "_dup")(fd);
	CHECK(d >= 0 && lseek(d, 0, SEEK_CUR) == 3, "dup %d", d);
	close(d);
	DERRNO = SENTINEL;
	CHECK(FN(int (*)(int), "_dup")(-5) == -1 && DERRNO == DARWIN_EBADF, "errno %d", DERRNO);
	end();

	begin("_ftruncate");
	CHECK(FN(int (*)(int, off_t), "_ftruncate")(fd, 2) == 0 && fstat(fd, &st) == 0 && st.st_size == 2, "size");
	DERRNO = SENTINEL;
	CHECK(FN(int (*)(int, off_t), "_ftruncate")(fd, -1) == -1 && DERRNO == DARWIN_EINVAL, "errno %d", DERRNO);
	end();

	begin("_fsync");
	CHECK(FN(int (*)(int), "_fsync")(fd) == 0, "fsync");
	DERRNO = SENTINEL;
	CHECK(FN(int (*)(int), "_fsync")(-1) == -1 && DERRNO == DARWIN_EBADF, "errno %d", DERRNO);
	end();

	begin(INODE64("_fstat"));
	struct darwin_Stat_t ds;
	memset(&ds, 0xff, sizeof ds);
	fstat(fd, &st);
	int r = FN(int (*)(int, struct darwin_Stat_t *), INODE64("_fstat"))(fd, &ds);
	CHECK(r == 0 && ds.Size == 2 && ds.Ino == st.st_ino && ds.Mode == (DARWIN_S_IFREG | 0604) && ds.Nlink == 1 &&
	          ds.Uid == st.st_uid && ds.Mtimespec.Sec == st.st_mtim.tv_sec && ds.Blksize == st.st_blksize,
	      "size %lld ino %llu mode %#o", (long long)ds.Size, (unsigned long long)ds.Ino, ds.Mode);
	end();

	begin(INODE64("_fstatat"));
	r = FN(int (*)(int, const char *, struct darwin_Stat_t *, int), INODE64("_fstatat"))(
	    DARWIN_AT_FDCWD, "lnk", &ds, DARWIN_AT_SYMLINK_NOFOLLOW);
	CHECK(r == 0 && (ds.Mode & DARWIN_S_IFMT) == DARWIN_S_IFLNK && ds.Size == 1, "mode %#o", ds.Mode);
	r = FN(int (*)(int, const char *, struct darwin_Stat_t *, int), INODE64("_fstatat"))(DARWIN_AT_FDCWD, "lnk", &ds, 0);
	CHECK(r == 0 && (ds.Mode & DARWIN_S_IFMT) == DARWIN_S_IFREG, "followed: mode %#o", ds.Mode);
	end();
	close(fd);

	begin("_futimens");
	fd = open("g", O_RDWR);
	struct timespec before;
	stat("g", &st);
	before = st.st_atim;
	struct darwin_Timespec ts[2] = {{0, DARWIN_UTIME_OMIT}, {1000, 5}};
	r = FN(int (*)(int, const struct darwin_Timespec *), "_futimens")(fd, ts);
	stat("g", &st);
	CHECK(r == 0 && st.st_mtim.tv_sec == 1000 && st.st_mtim.tv_nsec == 5 && st.st_atim.tv_sec == before.tv_sec &&
	          st.st_atim.tv_nsec == before.tv_nsec,
	      "r %d mtime %lld atime %lld (was %lld)", r, (long long)st.st_mtim.tv_sec, (long long)st.st_atim.tv_sec,
	      (long long)before.tv_sec);
	// UTIME_NOW is -1 on Darwin, (1<<30)-1 on Linux.
	struct darwin_Timespec now[2] = {{0, DARWIN_UTIME_NOW}, {0, DARWIN_UTIME_OMIT}};
	r = FN(int (*)(int, const struct darwin_Timespec *), "_futimens")(fd, now);
	stat("g", &st);
	CHECK(r == 0 && st.st_atim.tv_sec > 1000000000 && st.st_mtim.tv_sec == 1000, "UTIME_NOW: r %d atime %lld", r,
	      (long long)st.st_atim.tv_sec);
	close(fd);
	end();

	begin("_utimensat");
	struct darwin_Timespec lts[2] = {{2000, 0}, {3000, 0}};
	r = FN(int (*)(int, const char *, const struct darwin_Timespec *, int), "_utimensat")(
	    DARWIN_AT_FDCWD, "lnk", lts, DARWIN_AT_SYMLINK_NOFOLLOW);
	lstat("lnk", &st);
	struct stat target;
	stat("f", &target);
	CHECK(r == 0 && st.st_mtim.tv_sec == 3000 && target.st_mtim.tv_sec != 3000, "r %d link mtime %lld", r,
	      (long long)st.st_mtim.tv_sec);
	end();
}

static void test_paths(void) {
	struct stat st;
	begin("_mkdirat");
	int r = FN(int (*)(int, const char *, mode_t), "_mkdirat")(DARWIN_AT_FDCWD, "dir", 0750);
	CHECK(r == 0 && stat("dir", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0750, "r %d", r);
	end();

	begin("_symlinkat");
	r = FN(int (*)(const char *, int, const char *), "_symlinkat")("target", DARWIN_AT_FDCWD, "dir/sl");
	CHECK(r == 0 && lstat("dir/sl", &st) == 0 && S_ISLNK(st.st_mode), "r %d", r);
	end();

	begin("_readlinkat");
	char buf[64] = {0};
	ssize_t n = FN(ssize_t (*)(int, const char *, char *, size_t), "_readlinkat")(DARWIN_AT_FDCWD, "dir/sl", buf,
	                                                                              sizeof buf);
	CHECK(n == 6 && memcmp(buf, "target", 6) == 0, "n %zd", n);
	end();

	begin("_renameat");
	int dfd = open("dir", O_RDONLY | O_DIRECTORY);
	r = FN(int (*)(int, const char *, int, const char *), "_renameat")(dfd, "sl", DARWIN_AT_FDCWD, "moved");
	CHECK(r == 0 && lstat("moved", &st) == 0, "r %d", r);
	end();

	begin("_linkat");
	// AT_SYMLINK_FOLLOW (0x40 on Darwin, 0x400 on Linux) links the link's target.
	r = FN(int (*)(int, const char *, int, const char *, int), "_linkat")(DARWIN_AT_FDCWD, "lnk", dfd, "hard",
	                                                                       DARWIN_AT_SYMLINK_FOLLOW);
	CHECK(r == 0 && lstat("dir/hard", &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 2, "r %d", r);
	end();

	begin("_unlinkat");
	DERRNO = SENTINEL;
	r = FN(int (*)(int, const char *, int), "_unlinkat")(DARWIN_AT_FDCWD, "dir", DARWIN_AT_REMOVEDIR);
	CHECK(r == -1 && DERRNO == DARWIN_ENOTEMPTY, "non-empty: r %d errno %d", r, DERRNO);
	r = FN(int (*)(int, const char *, int), "_unlinkat")(dfd, "hard", 0);
	CHECK(r == 0, "file: r %d", r);
	r = FN(int (*)(int, const char *, int), "_unlinkat")(DARWIN_AT_FDCWD, "dir", DARWIN_AT_REMOVEDIR);
	CHECK(r == 0 && stat("dir", &st) == -1, "dir: r %d", r);
	end();
	close(dfd);
}

static void test_dirs(void) {
	mkdir("d", 0755);
	close(open("d/a", O_CREAT | O_WRONLY, 0644));
	mkdir("d/subdir", 0755);
	typedef void *(*fdopendir_t)(int);
	typedef struct darwin_Dirent *(*readdir_t)(void *);

	begin(INODE64("_fdopendir"));
	void *dir = FN(fdopendir_t, INODE64("_fdopendir"))(open("d", O_RDONLY | O_DIRECTORY));
	CHECK(dir != 0, "errno %d", DERRNO);
	DERRNO = SENTINEL;
	void *bad = FN(fdopendir_t, INODE64("_fdopendir"))(open("d/a", O_RDONLY));
	CHECK(bad == 0 && DERRNO == DARWIN_ENOTDIR, "errno %d", DERRNO);
	end();

	begin(INODE64("_readdir"));
	int seen = 0;
	long at_second = -1;
	char second[1024] = "";
	for (int i = 0;; i++) {
		if (i == 1)
			at_second = FN(long (*)(void *), "_telldir")(dir);
		struct darwin_Dirent *e = FN(readdir_t, INODE64("_readdir"))(dir);
		if (!e)
			break;
		if (i == 1)
			snprintf(second, sizeof second, "%s", e->Name);
		CHECK(e->Namlen == strlen(e->Name) && e->Reclen >= offsetof(struct darwin_Dirent, Name) + e->Namlen + 1,
		      "%s: namlen %d reclen %d", e->Name, e->Namlen, e->Reclen);
		if (strcmp(e->Name, "a") == 0) {
			struct stat st;
			stat("d/a", &st);
			CHECK(e->Type == DARWIN_DT_REG && e->Ino == st.st_ino, "a: type %d", e->Type);
			seen |= 1;
		}
		if (strcmp(e->Name, "subdir") == 0) {
			CHECK(e->Type == DARWIN_DT_DIR, "subdir: type %d", e->Type);
			seen |= 2;
		}
	}
	CHECK(seen == 3, "entries seen %d", seen);
	end();

	begin("_telldir");
	CHECK(at_second >= 0, "telldir %ld", at_second);
	end();

	begin("_seekdir");
	FN(void (*)(void *, long), "_seekdir")(dir, at_second);
	struct darwin_Dirent *e = FN(readdir_t, INODE64("_readdir"))(dir);
	CHECK(e && strcmp(e->Name, second) == 0, "after seekdir: %s, want %s", e ? e->Name : "(end)", second);
	end();

	begin("_rewinddir");
	FN(void (*)(void *), "_rewinddir")(dir);
	int n = 0;
	while (FN(readdir_t, INODE64("_readdir"))(dir))
		n++;
	CHECK(n == 4, "%d entries after rewinddir, want 4", n);
	end();

	begin("_closedir");
	CHECK(FN(int (*)(void *), "_closedir")(dir) == 0, "closedir");
	end();
#if defined(__x86_64__)
	CHECK(shim_lookup("_telldir$INODE64") == shim_lookup("_telldir"), "telldir$INODE64");
	CHECK(shim_lookup("_fstat") == 0 && shim_lookup("_readdir") == 0, "x86_64's 32-bit-inode variants are not shimmed");
#else
	CHECK(shim_lookup("_fstat$INODE64") == 0, "arm64's libSystem has no $INODE64 names");
#endif
}

static void test_poll(void) {
	int p[2];
	nonblocking_pipe(p);
	begin("_poll");
	// POLLWRBAND is 0x100 on Darwin, Linux's POLLWRNORM; a pipe is never ready for it on Linux.
	struct darwin_PollFd fds[2] = {{p[1], DARWIN_POLLOUT, -1}, {p[1], DARWIN_POLLWRBAND, -1}};
	int r = FN(int (*)(void *, unsigned, int), "_poll")(fds, 2, 0);
	CHECK(r == 1 && fds[0].Revents == DARWIN_POLLOUT && fds[1].Revents == 0, "r %d revents %#x %#x", r,
	      fds[0].Revents, fds[1].Revents);
	close(p[0]);
	close(p[1]);
	end();
}

static void test_time(void) {
	begin("_clock_gettime");
	struct timespec ts, lts;
	// CLOCK_PROCESS_CPUTIME_ID is 12 on Darwin; Linux has no clock 12.
	int r = FN(int (*)(int, struct timespec *), "_clock_gettime")(DARWIN_CLOCK_PROCESS_CPUTIME_ID, &ts);
	CHECK(r == 0 && (ts.tv_sec || ts.tv_nsec), "r %d", r);
	// CLOCK_MONOTONIC (6) counts time asleep, Linux's CLOCK_BOOTTIME.
	clock_gettime(CLOCK_BOOTTIME, &lts);
	r = FN(int (*)(int, struct timespec *), "_clock_gettime")(DARWIN_CLOCK_MONOTONIC, &ts);
	CHECK(r == 0 && ts.tv_sec - lts.tv_sec < 2 && ts.tv_sec >= lts.tv_sec, "monotonic %lld, boottime %lld",
	      (long long)ts.tv_sec, (long long)lts.tv_sec);
	end();

	begin("_clock_getres");
	r = FN(int (*)(int, struct timespec *), "_clock_getres")(DARWIN_CLOCK_PROCESS_CPUTIME_ID, &ts);
	CHECK(r == 0 && ts.tv_sec == 0 && ts.tv_nsec > 0, "r %d", r);
	DERRNO = SENTINEL;
	r = FN(int (*)(int, struct timespec *), "_clock_getres")(99, &ts);
	CHECK(r == -1 && DERRNO == DARWIN_EINVAL, "clock 99: r %d", r);
	end();

	begin("_nanosleep");
	struct timespec req = {0, 1000000}, bad = {0, 2000000000};
	CHECK(FN(int (*)(const struct timespec *, struct timespec *), "_nanosleep")(&req, 0) == 0, "1ms");
	DERRNO = SENTINEL;
	r = FN(int (*)(const struct timespec *, struct timespec *), "_nanosleep")(&bad, 0);
	CHECK(r == -1 && DERRNO == DARWIN_EINVAL, "r %d errno %d", r, DERRNO);
	end();

	begin("_getentropy");
	unsigned char buf[300] = {0};
	r = FN(int (*)(void *, size_t), "_getentropy")(buf, 32);
	int nonzero = 0;
	for (int i = 0; i < 32; i++)
		nonzero |= buf[i];
	CHECK(r == 0 && nonzero, "r %d", r);
	DERRNO = SENTINEL;
	r = FN(int (*)(void *, size_t), "_getentropy")(buf, 257);
	CHECK(r == -1 && DERRNO == DARWIN_EIO, "257 bytes: r %d errno %d", r, DERRNO);
	end();
}

static void test_memory(void) {
	begin("_mmap");
	char *m = FN(void *(*)(void *, size_t, int, int, int, off_t), "_mmap")(
	    0, 8192, DARWIN_PROT_READ | DARWIN_PROT_WRITE, DARWIN_MAP_PRIVATE | DARWIN_MAP_ANON, -1, 0);
	CHECK(m != (void *)-1, "errno %d", DERRNO);
	m[0] = 1;
	m[4096] = 2;
	end();

	begin("_mprotect");
	int r = FN(int (*)(void *, size_t, int), "_mprotect")(m, 4096, DARWIN_PROT_READ);
	CHECK(r == 0, "r %d", r);
	DERRNO = SENTINEL;
	r = FN(int (*)(void *, size_t, int), "_mprotect")(m + 1, 4096, DARWIN_PROT_READ);
	CHECK(r == -1 && DERRNO == DARWIN_EINVAL, "unaligned: r %d errno %d", r, DERRNO);
	end();

	begin("_munmap");
	CHECK(FN(int (*)(void *, size_t), "_munmap")(m, 8192) == 0, "munmap");
	DERRNO = SENTINEL;
	CHECK(FN(int (*)(void *, size_t), "_munmap")(m + 1, 10) == -1 && DERRNO == DARWIN_EINVAL, "errno %d", DERRNO);
	end();
}

static volatile int got_signal, got_code, got_pid;

static void on_usr1(int sig, struct darwin_siginfo *si, void *uc) {
	(void)uc;
	got_signal = sig * 1000 + si->si_signo;
	got_pid = si->darwin_si_pid;
}

static void on_plain(int sig) { got_signal = sig; }

static void test_signals(void) {
	typedef int (*sigaction_t)(int, const struct darwin_usigactiont *, struct darwin_usigactiont *);
	begin("_sigaction");
	struct darwin_usigactiont a = {.sa_flags = DARWIN_SA_SIGINFO}, old;
	uint64_t h = (uint64_t)(uintptr_t)on_usr1;
	memcpy(a.__sigaction_u, &h, 8);
	int r = FN(sigaction_t, "_sigaction")(DARWIN_SIGUSR1, &a, &old);
	CHECK(r == 0, "r %d errno %d", r, DERRNO);
	struct sigaction la;
	sigaction(SIGUSR1, 0, &la);
	CHECK(la.sa_handler != SIG_DFL, "Linux's SIGUSR1 (Darwin's is 30) has no handler");
	r = FN(sigaction_t, "_sigaction")(DARWIN_SIGUSR1, 0, &old);
	CHECK(r == 0 && memcmp(&old, &a, sizeof a) == 0, "old action differs");
	struct darwin_usigactiont p = {.sa_flags = DARWIN_SA_RESTART};
	h = (uint64_t)(uintptr_t)on_plain;
	memcpy(p.__sigaction_u, &h, 8);
	CHECK(FN(sigaction_t, "_sigaction")(DARWIN_SIGUSR2, &p, 0) == 0, "SIGUSR2");
	DERRNO = SENTINEL;
	a.sa_flags = 0x4; // SA_RESETHAND, not translated
	CHECK(FN(sigaction_t, "_sigaction")(DARWIN_SIGUSR1, &a, 0) == -1 && DERRNO == DARWIN_EINVAL, "SA_RESETHAND");
	end();

	begin("_kill");
	r = FN(int (*)(pid_t, int), "_kill")(getpid(), DARWIN_SIGUSR1);
	CHECK(r == 0 && got_signal == DARWIN_SIGUSR1 * 1001 && got_pid == getpid(), "r %d handler saw %d from %d", r,
	      got_signal, got_pid);
	got_signal = 0;
	r = FN(int (*)(pid_t, int), "_kill")(getpid(), DARWIN_SIGUSR2);
	CHECK(r == 0 && got_signal == DARWIN_SIGUSR2, "plain handler saw %d", got_signal);
	end();

	begin("_sigprocmask");
	uint32_t set = 1u << (DARWIN_SIGUSR2 - 1), oldset = ~0u;
	r = FN(int (*)(int, const uint32_t *, uint32_t *), "_sigprocmask")(DARWIN_SIG_BLOCK, &set, &oldset);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, 0, &cur);
	CHECK(r == 0 && oldset == 0 && sigismember(&cur, SIGUSR2) == 1 && sigismember(&cur, SIGUSR1) == 0,
	      "r %d old %#x", r, oldset);
	r = FN(int (*)(int, const uint32_t *, uint32_t *), "_sigprocmask")(DARWIN_SIG_SETMASK, &oldset, &set);
	sigprocmask(SIG_BLOCK, 0, &cur);
	CHECK(r == 0 && set == 1u << (DARWIN_SIGUSR2 - 1) && sigismember(&cur, SIGUSR2) == 0, "restore: old %#x", set);
	end();

	begin("_sigaltstack");
	static char stack[65536];
	struct darwin_stackt ss = {.ss_sp = (uint64_t)(uintptr_t)stack, .ss_size = sizeof stack}, oss;
	r = FN(int (*)(const struct darwin_stackt *, struct darwin_stackt *), "_sigaltstack")(&ss, &oss);
	stack_t cur_ss;
	sigaltstack(0, &cur_ss);
	CHECK(r == 0 && cur_ss.ss_sp == stack && cur_ss.ss_size == sizeof stack && oss.ss_flags == DARWIN_SS_DISABLE,
	      "r %d errno %d: Linux sees %p+%zu; old flags %#x", r, DERRNO, cur_ss.ss_sp, cur_ss.ss_size, oss.ss_flags);
	r = FN(int (*)(const struct darwin_stackt *, struct darwin_stackt *), "_sigaltstack")(0, &oss);
	CHECK(r == 0 && oss.ss_sp == (uint64_t)(uintptr_t)stack && oss.ss_size == sizeof stack && oss.ss_flags == 0,
	      "read back %#llx+%llu flags %#x", (unsigned long long)oss.ss_sp, (unsigned long long)oss.ss_size,
	      oss.ss_flags);
	ss.ss_flags = DARWIN_SS_DISABLE;
	r = FN(int (*)(const struct darwin_stackt *, struct darwin_stackt *), "_sigaltstack")(&ss, 0);
	sigaltstack(0, &cur_ss);
	CHECK(r == 0 && (cur_ss.ss_flags & SS_DISABLE), "SS_DISABLE: r %d", r);
	end();

	begin("_getpid");
	CHECK(FN(pid_t (*)(void), "_getpid")() == getpid(), "getpid");
	end();

	begin("_sched_yield");
	CHECK(FN(int (*)(void), "_sched_yield")() == 0, "sched_yield");
	end();
}

typedef int (*sockaddr_fn)(int, void *, socklen_t *);

static void test_sockets(void) {
	begin("_socket");
	// AF_INET6 is 30 on Darwin, 10 on Linux.
	int ls = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET6, DARWIN_SOCK_STREAM, 0);
	int dom = 0;
	socklen_t dl = sizeof dom;
	CHECK(ls >= 0 && getsockopt(ls, SOL_SOCKET, SO_DOMAIN, &dom, &dl) == 0 && dom == AF_INET6, "fd %d errno %d", ls,
	      DERRNO);
	end();

	begin("_setsockopt");
	int one = 1;
	// SOL_SOCKET is 0xffff and SO_REUSEADDR 4 on Darwin; Linux's are 1 and 2.
	int r = FN(int (*)(int, int, int, const void *, socklen_t), "_setsockopt")(ls, DARWIN_SOL_SOCKET,
	                                                                           DARWIN_SO_REUSEADDR, &one, sizeof one);
	int v = 0;
	socklen_t vl = sizeof v;
	CHECK(r == 0 && getsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &v, &vl) == 0 && v, "r %d errno %d", r, DERRNO);
	struct darwin_Timeval tv = {.Sec = 2, .Usec = 500000};
	memset(tv.Pad_cgo_0, 0xff, sizeof tv.Pad_cgo_0);
	r = FN(int (*)(int, int, int, const void *, socklen_t), "_setsockopt")(ls, DARWIN_SOL_SOCKET, DARWIN_SO_RCVTIMEO,
	                                                                       &tv, sizeof tv);
	struct timeval ltv;
	socklen_t ll = sizeof ltv;
	getsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &ltv, &ll);
	CHECK(r == 0 && ltv.tv_sec == 2 && ltv.tv_usec == 500000, "SO_RCVTIMEO: r %d: %lld.%06lld", r,
	      (long long)ltv.tv_sec, (long long)ltv.tv_usec);
	end();

	begin("_getsockopt");
	v = 0;
	vl = sizeof v;
	r = FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(ls, DARWIN_SOL_SOCKET, DARWIN_SO_TYPE, &v, &vl);
	CHECK(r == 0 && v == DARWIN_SOCK_STREAM, "SO_TYPE: r %d v %d", r, v);
	struct darwin_Timeval got;
	vl = sizeof got;
	r = FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(ls, DARWIN_SOL_SOCKET, DARWIN_SO_RCVTIMEO,
	                                                                   &got, &vl);
	CHECK(r == 0 && got.Sec == 2 && got.Usec == 500000, "SO_RCVTIMEO: %lld.%06d", (long long)got.Sec, got.Usec);
	DERRNO = SENTINEL;
	r = FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(ls, DARWIN_SOL_SOCKET, 0x7777, &v, &vl);
	CHECK(r == -1 && DERRNO == DARWIN_ENOPROTOOPT, "unknown option: errno %d", DERRNO);
	end();

	begin("_bind");
	struct darwin_RawSockaddrInet6 a6 = {.Len = sizeof a6, .Family = DARWIN_AF_INET6};
	a6.Addr[15] = 1; // ::1
	r = FN(int (*)(int, const void *, socklen_t), "_bind")(ls, &a6, sizeof a6);
	CHECK(r == 0, "r %d errno %d", r, DERRNO);
	end();

	begin("_listen");
	CHECK(FN(int (*)(int, int), "_listen")(ls, 4) == 0, "listen");
	v = 0;
	vl = sizeof v;
	FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(ls, DARWIN_SOL_SOCKET, DARWIN_SO_ACCEPTCONN, &v, &vl);
	CHECK(v, "SO_ACCEPTCONN after listen");
	end();

	begin("_getsockname");
	struct darwin_RawSockaddrInet6 name;
	memset(&name, 0, sizeof name);
	socklen_t nl = sizeof name;
	r = FN(sockaddr_fn, "_getsockname")(ls, &name, &nl);
	CHECK(r == 0 && nl == sizeof name && name.Len == sizeof name && name.Family == DARWIN_AF_INET6 && name.Port &&
	          name.Addr[15] == 1,
	      "r %d len %u family %d port %d", r, nl, name.Family, name.Port);
	end();

	begin("_connect");
	int cs = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET6, DARWIN_SOCK_STREAM, 0);
	r = FN(int (*)(int, const void *, socklen_t), "_connect")(cs, &name, sizeof name);
	CHECK(r == 0, "r %d errno %d", r, DERRNO);
	struct darwin_RawSockaddrInet4 closed = {.Len = sizeof closed, .Family = DARWIN_AF_INET, .Port = htons(1)};
	closed.Addr[0] = 127;
	closed.Addr[3] = 1;
	int cs2 = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET, DARWIN_SOCK_STREAM, 0);
	DERRNO = SENTINEL;
	r = FN(int (*)(int, const void *, socklen_t), "_connect")(cs2, &closed, sizeof closed);
	CHECK(r == -1 && DERRNO == DARWIN_ECONNREFUSED, "port 1: r %d errno %d", r, DERRNO);
	close(cs2);
	// SO_ERROR's value is an errno: ECONNREFUSED is 61 on Darwin, 111 on Linux.
	cs2 = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET, DARWIN_SOCK_STREAM, 0);
	fcntl(cs2, F_SETFL, O_NONBLOCK);
	r = FN(int (*)(int, const void *, socklen_t), "_connect")(cs2, &closed, sizeof closed);
	if (r == -1 && DERRNO == DARWIN_EINPROGRESS) {
		struct pollfd pf = {cs2, POLLOUT, 0};
		poll(&pf, 1, 5000);
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		r = FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(cs2, DARWIN_SOL_SOCKET, DARWIN_SO_ERROR,
		                                                                   &soerr, &sl);
		CHECK(r == 0 && soerr == DARWIN_ECONNREFUSED, "SO_ERROR %d", soerr);
	} else {
		CHECK(r == -1 && DERRNO == DARWIN_ECONNREFUSED, "nonblocking: r %d errno %d", r, DERRNO);
	}
	close(cs2);
	end();

	begin("_accept");
	struct darwin_RawSockaddrInet6 peer;
	memset(&peer, 0, sizeof peer);
	socklen_t pl = sizeof peer;
	int as = FN(sockaddr_fn, "_accept")(ls, &peer, &pl);
	CHECK(as >= 0 && pl == sizeof peer && peer.Len == sizeof peer && peer.Family == DARWIN_AF_INET6, "fd %d family %d",
	      as, peer.Family);
	end();

	begin("_getpeername");
	struct darwin_RawSockaddrInet6 peer2;
	memset(&peer2, 0, sizeof peer2);
	pl = sizeof peer2;
	r = FN(sockaddr_fn, "_getpeername")(cs, &peer2, &pl);
	CHECK(r == 0 && peer2.Family == DARWIN_AF_INET6 && peer2.Port == name.Port, "r %d family %d", r, peer2.Family);
	end();

	typedef ssize_t (*sendto_t)(int, const void *, size_t, int, const void *, socklen_t);
	typedef ssize_t (*recvfrom_t)(int, void *, size_t, int, void *, socklen_t *);
	begin("_recvfrom");
	char buf[16];
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	DERRNO = SENTINEL;
	// MSG_DONTWAIT is 0x80 on Darwin, Linux's MSG_EOR; untranslated, this would wait for
	// the 2.5 s SO_RCVTIMEO inherited from the listener.
	ssize_t n = FN(recvfrom_t, "_recvfrom")(as, buf, sizeof buf, DARWIN_MSG_DONTWAIT, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(n == -1 && DERRNO == DARWIN_EAGAIN && t1.tv_sec - t0.tv_sec < 2, "n %zd errno %d", n, DERRNO);
	end();

	begin("_sendto");
	n = FN(sendto_t, "_sendto")(cs, "ping", 4, 0, 0, 0);
	CHECK(n == 4 && FN(recvfrom_t, "_recvfrom")(as, buf, sizeof buf, DARWIN_MSG_WAITALL, 0, 0) == 4 &&
	          memcmp(buf, "ping", 4) == 0,
	      "n %zd", n);
	end();

	// SO_NOSIGPIPE, which Linux lacks: a send to a closed peer fails with EPIPE instead of
	// killing the program with SIGPIPE.
	begin("_sendto");
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	close(sp[1]);
	r = FN(int (*)(int, int, int, const void *, socklen_t), "_setsockopt")(sp[0], DARWIN_SOL_SOCKET,
	                                                                       DARWIN_SO_NOSIGPIPE, &one, sizeof one);
	v = 0;
	vl = sizeof v;
	FN(int (*)(int, int, int, void *, socklen_t *), "_getsockopt")(sp[0], DARWIN_SOL_SOCKET, DARWIN_SO_NOSIGPIPE, &v,
	                                                               &vl);
	DERRNO = SENTINEL;
	n = FN(sendto_t, "_sendto")(sp[0], "x", 1, 0, 0, 0);
	CHECK(r == 0 && v == 1 && n == -1 && DERRNO == DARWIN_EPIPE, "SO_NOSIGPIPE: r %d v %d n %zd errno %d", r, v, n,
	      DERRNO);
	close(sp[0]);
	end();

	begin("_shutdown");
	r = FN(int (*)(int, int), "_shutdown")(cs, DARWIN_SHUT_WR);
	CHECK(r == 0 && recv(as, buf, sizeof buf, 0) == 0, "r %d", r);
	end();
	close(as);
	close(cs);
	close(ls);

	// Datagrams, for addresses on receipt and msghdr.
	int u1 = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET, DARWIN_SOCK_DGRAM, 0);
	int u2 = FN(int (*)(int, int, int), "_socket")(DARWIN_AF_INET, DARWIN_SOCK_DGRAM, 0);
	struct darwin_RawSockaddrInet4 lo = {.Len = sizeof lo, .Family = DARWIN_AF_INET};
	lo.Addr[0] = 127;
	lo.Addr[3] = 1;
	FN(int (*)(int, const void *, socklen_t), "_bind")(u2, &lo, sizeof lo);
	struct darwin_RawSockaddrInet4 u2addr;
	socklen_t u2l = sizeof u2addr;
	FN(sockaddr_fn, "_getsockname")(u2, &u2addr, &u2l);

	begin("_sendmsg");
	struct darwin_Iovec iov = {(uint64_t)(uintptr_t) "datagram", 8};
	struct darwin_Msghdr m = {
	    .Name = (uint64_t)(uintptr_t)&u2addr, .Namelen = sizeof u2addr, .Iov = (uint64_t)(uintptr_t)&iov, .Iovlen = 1};
	n = FN(ssize_t (*)(int, const void *, int), "_sendmsg")(u1, &m, 0);
	CHECK(n == 8, "n %zd errno %d", n, DERRNO);
	end();

	begin("_recvmsg");
	char small[4];
	struct darwin_Iovec riov = {(uint64_t)(uintptr_t)small, sizeof small};
	struct darwin_RawSockaddrInet4 from;
	memset(&from, 0, sizeof from);
	struct darwin_Msghdr rm = {
	    .Name = (uint64_t)(uintptr_t)&from, .Namelen = sizeof from, .Iov = (uint64_t)(uintptr_t)&riov, .Iovlen = 1};
	n = FN(ssize_t (*)(int, void *, int), "_recvmsg")(u2, &rm, 0);
	// MSG_TRUNC is 0x10 on Darwin, 0x20 on Linux (MSG_CTRUNC's Darwin bit).
	CHECK(n == 4 && memcmp(small, "data", 4) == 0 && rm.Flags == DARWIN_MSG_TRUNC && from.Family == DARWIN_AF_INET &&
	          from.Len == sizeof from && rm.Namelen == sizeof from && from.Addr[0] == 127,
	      "n %zd flags %#x family %d", n, rm.Flags, from.Family);
	end();

	FN(sendto_t, "_sendto")(u1, "again", 5, 0, &u2addr, sizeof u2addr);
	memset(&from, 0, sizeof from);
	socklen_t fl = sizeof from;
	n = FN(recvfrom_t, "_recvfrom")(u2, buf, sizeof buf, 0, &from, &fl);
	begin("_recvfrom");
	CHECK(n == 5 && fl == sizeof from && from.Len == sizeof from && from.Family == DARWIN_AF_INET, "n %zd family %d", n,
	      from.Family);
	end();
	close(u1);
	close(u2);
}

int main(void) {
	alarm(30); // a check that blocks for want of a translation fails instead
	test_io();
	test_files();
	test_paths();
	test_dirs();
	test_poll();
	test_time();
	test_memory();
	test_signals();
	test_sockets();
	begin("___error");
	end();
	return failures != 0;
}
