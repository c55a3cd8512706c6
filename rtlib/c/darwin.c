// darwin.c: the darwin runtime's system layer (built with WASMC_DARWIN, rtlib.WasmFor).
//
// The runtime's files make Linux's calls with Linux's structures (statx, getdents64,
// preadv, sockets …) through sys(); on darwin sys() hands them to darwin_sys, which makes the
// libSystem calls that do the same (rtlib/libsystem.go binds them) and gives back what
// Linux would: statx's buffer, linux_dirent64 records, -errno with Darwin's numbers
// (errno_of maps those). Calls whose arguments are the same on both go through as they
// are; flags and AT_* values are already Darwin's (host_darwin.h).
#ifdef WASMC_DARWIN
#include "wasi.h"

// Darwin's struct stat (the 64-bit-inode one, which $INODE64 names on amd64): st_dev
// i32 @0, st_mode u16 @4, st_nlink u16 @6, st_ino @8, st_uid @16, st_gid @20, st_rdev
// i32 @24, the atime, mtime, ctime and birthtime timespecs @32, 48, 64, 80, st_size
// @96, st_blocks @104, st_blksize i32 @112; 144 bytes.
static uint8_t dstat[144];

static void le64p(uint8_t *p, uint64_t v) { le64(p, v); }

// stat_to_statx fills statx_buf as Linux's statx would from dstat: the fields the
// runtime reads (mode, ino, nlink, size, blocks, the times, dev as minor number).
static void stat_to_statx(void) {
	uint8_t *x = statx_buf;
	memset(x, 0, 256);
	le32(x + 0, 0x7ff);                      // stx_mask: the basic stats
	le32(x + 4, rd32(dstat + 112));          // blksize
	le32(x + 16, rd32(dstat + 4) >> 16);     // nlink
	le32(x + 20, rd32(dstat + 16));          // uid
	le32(x + 24, rd32(dstat + 20));          // gid
	le16(x + 28, (uint16_t)rd32(dstat + 4)); // mode
	le64p(x + 32, rd64(dstat + 8));          // ino
	le64p(x + 40, rd64(dstat + 96));         // size
	le64p(x + 48, rd64(dstat + 104));        // blocks
	static const uint8_t times[4][2] = {{32, 64}, {80, 80}, {64, 96}, {48, 112}}; // a, b, c, m
	for (int i = 0; i < 4; i++) {
		le64p(x + times[i][1], rd64(dstat + times[i][0]));
		le32(x + times[i][1] + 8, rd32(dstat + times[i][0] + 8));
	}
	le32(x + 132, rd32(dstat + 24)); // rdev's minor
	le32(x + 140, rd32(dstat + 0));  // dev's minor
}

// statx(dir, path, flags, mask, buf): fstat for AT_EMPTY_PATH's empty path, else
// fstatat. buf is always statx_buf.
static int64_t do_statx(int64_t dir, int64_t path, int64_t flags) {
	int64_t r;
	if (wasmc_host_load8((uint64_t)path) == 0)
		r = wasmc_syscall(WASMC_SYS_fstat, dir, (int64_t)wasmc_rt_host(dstat), 0, 0, 0, 0);
	else
		r = wasmc_syscall(WASMC_SYS_fstatat, dir, path, (int64_t)wasmc_rt_host(dstat),
				  flags & L_AT_SYMLINK_NOFOLLOW, 0, 0);
	if (r == 0)
		stat_to_statx();
	return r;
}

// Linux's UTIME_NOW and UTIME_OMIT (wasi_fd.c); Darwin's are host_darwin.h's.
#define L_UTIME_NOW ((1l << 30) - 1)
#define L_UTIME_OMIT ((1l << 30) - 2)

// utimes_at translates two Linux timespecs at host address ts.
static int64_t utimes_at(int64_t ts) {
	static int64_t t[4];
	if (ts == 0)
		return 0;
	for (int i = 0; i < 4; i++) {
		int64_t v = (int64_t)wasmc_host_load64((uint64_t)ts + 8 * (uint64_t)i);
		if (i % 2 == 1)
			v = v == L_UTIME_NOW ? D_UTIME_NOW : v == L_UTIME_OMIT ? D_UTIME_OMIT : v;
		t[i] = v;
	}
	return (int64_t)wasmc_rt_host(t);
}

// The directory stream fd_readdir reads (one at a time: a call reads until the guest's
// buffer is full): readdir on a duplicate of the descriptor. Positions are telldir's, so
// that going on from where a call stopped survives entries deleted meanwhile (as Linux's
// directory offsets do: wasi_dir.c), and 0 is the start.
static int64_t dir_fd = -1;
static uint64_t dir_stream;

static void dir_close(void) {
	if (dir_stream != 0)
		wasmc_syscall(WASMC_SYS_closedir, (int64_t)dir_stream, 0, 0, 0, 0, 0);
	dir_stream = 0, dir_fd = -1;
}

// dir_open gives fd a fresh stream at its start.
static int64_t dir_open(int32_t fd) {
	dir_close();
	int64_t dup = wasmc_syscall(WASMC_SYS_dup, fd, 0, 0, 0, 0, 0);
	if (dup < 0)
		return dup;
	int64_t r = wasmc_syscall(WASMC_SYS_lseek, dup, 0, 0, 0, 0, 0);
	int64_t s = r < 0 ? 0 : wasmc_syscall(WASMC_SYS_fdopendir, dup, 0, 0, 0, 0, 0);
	if (s == 0) {
		int64_t e = r < 0 ? r : -(int64_t)(int32_t)wasmc_host_load64((uint64_t)wasmc_syscall(WASMC_SYS_error, 0, 0, 0, 0, 0, 0));
		wasmc_syscall(WASMC_SYS_close, dup, 0, 0, 0, 0, 0);
		return e;
	}
	dir_fd = fd, dir_stream = (uint64_t)s;
	return 0;
}

// dir_want is where darwin_dir_seek asked the next read to start, or -1 for where the
// stream is.
static int64_t dir_want = -1;

void darwin_dir_seek(int32_t fd, uint64_t pos) {
	if (fd != dir_fd)
		dir_close();
	dir_fd = fd;
	dir_want = (int64_t)pos;
}

// darwin_getdents is getdents64(fd, buf, size): linux_dirent64 records {u64 ino, i64
// off, u16 reclen, u8 type, name} from Darwin's struct dirent {u64 d_ino, u64 d_seekoff,
// u16 d_reclen, u16 d_namlen, u8 d_type, d_name}, off being telldir's after the entry.
int64_t darwin_getdents(int32_t fd, uint8_t *buf, uint32_t size) {
	if (fd != dir_fd || dir_stream == 0 || dir_want == 0) {
		int64_t e = dir_open(fd);
		if (e < 0)
			return e;
		if (dir_want == 0)
			dir_want = -1;
	}
	if (dir_want > 0)
		wasmc_syscall(WASMC_SYS_seekdir, (int64_t)dir_stream, dir_want, 0, 0, 0, 0);
	dir_want = -1;
	uint64_t errp = (uint64_t)wasmc_syscall(WASMC_SYS_error, 0, 0, 0, 0, 0, 0);
	uint32_t n = 0;
	for (;;) {
		int64_t before = wasmc_syscall(WASMC_SYS_telldir, (int64_t)dir_stream, 0, 0, 0, 0, 0);
		wasmc_host_store64(errp, wasmc_host_load64(errp) & ~0xffffffffull); // errno = 0: NULL then means the end
		uint64_t e = (uint64_t)wasmc_syscall(WASMC_SYS_readdir, (int64_t)dir_stream, 0, 0, 0, 0, 0);
		if (e == 0) {
			int32_t err = (int32_t)wasmc_host_load64(errp);
			return err != 0 && n == 0 ? -(int64_t)err : (int64_t)n;
		}
		uint32_t namlen = wasmc_host_load8(e + 18) | wasmc_host_load8(e + 19) << 8;
		uint32_t reclen = (19 + namlen + 1 + 7) & ~7u;
		if ((uint64_t)n + reclen > size) {
			// Read again next time: back to before it.
			wasmc_syscall(WASMC_SYS_seekdir, (int64_t)dir_stream, before, 0, 0, 0, 0);
			return n == 0 ? -L_EINVAL : (int64_t)n;
		}
		uint8_t *rec = buf + n;
		le64(rec, wasmc_host_load64(e));
		le64(rec + 8, (uint64_t)wasmc_syscall(WASMC_SYS_telldir, (int64_t)dir_stream, 0, 0, 0, 0, 0));
		le16(rec + 16, (uint16_t)reclen);
		rec[18] = (uint8_t)wasmc_host_load8(e + 20);
		for (uint32_t i = 0; i < namlen; i++)
			rec[19 + i] = (uint8_t)wasmc_host_load8(e + 21 + i);
		for (uint32_t i = 19 + namlen; i < reclen; i++)
			rec[i] = 0;
		n += reclen;
	}
}

// Sockets (wasi_sock.c passes Linux's values, below; Darwin's are host_darwin.h's).
// Darwin has no SOCK_CLOEXEC or SOCK_NONBLOCK (fcntl does it) and no MSG_NOSIGNAL (the
// runtime ignores SIGPIPE); its sockaddr begins {u8 sa_len, u8 sa_family}, and its
// msghdr is 48 bytes: {name, u32 namelen, iov, i32 iovlen, control, u32 controllen, i32
// flags}.
#define L_SOCK_NONBLOCK 0x800
#define L_SOCK_CLOEXEC 0x80000
#define L_SOL_SOCKET 1
#define L_SO_REUSEADDR 2
#define L_AF_INET6 10
#define L_MSG_PEEK 2
#define L_MSG_TRUNC 0x20
#define L_MSG_WAITALL 0x100

// sock_flags gives new socket h Linux's SOCK_CLOEXEC and SOCK_NONBLOCK of flags.
static int64_t sock_flags(int64_t h, int64_t flags) {
	if (h < 0)
		return h;
	int64_t r = 0;
	if (flags & L_SOCK_CLOEXEC)
		r = wasmc_syscall(WASMC_SYS_fcntl, h, D_F_SETFD, D_FD_CLOEXEC, 0, 0, 0);
	if (r >= 0 && (flags & L_SOCK_NONBLOCK)) {
		r = wasmc_syscall(WASMC_SYS_fcntl, h, D_F_GETFL, 0, 0, 0, 0);
		if (r >= 0)
			r = wasmc_syscall(WASMC_SYS_fcntl, h, D_F_SETFL, r | L_O_NONBLOCK, 0, 0, 0);
	}
	if (r < 0) {
		wasmc_syscall(WASMC_SYS_close, h, 0, 0, 0, 0, 0);
		return r;
	}
	return h;
}

// A Linux sockaddr_in or sockaddr_in6 (at most 28 bytes) made Darwin's.
static uint8_t dsa[28];

static int64_t sockaddr_at(int64_t sa, int64_t len) {
	if (len < 2 || len > (int64_t)sizeof dsa)
		return -L_EINVAL;
	for (int64_t i = 0; i < len; i++)
		dsa[i] = (uint8_t)wasmc_host_load8((uint64_t)sa + (uint64_t)i);
	uint32_t family = dsa[0] | (uint32_t)dsa[1] << 8;
	dsa[0] = (uint8_t)len;
	dsa[1] = (uint8_t)(family == L_AF_INET6 ? D_AF_INET6 : family);
	return (int64_t)wasmc_rt_host(dsa);
}

// msgio makes recvmsg or sendmsg with the Linux msghdr at host address m, which names no
// address and no control data (wasi_sock.c), and gives back its flags.
static int64_t msgio(int32_t nr, int64_t fd, int64_t m, int64_t flags) {
	static uint64_t dmsg[6];
	memset(dmsg, 0, sizeof dmsg);
	dmsg[2] = wasmc_host_load64((uint64_t)m + 16);                  // iov
	dmsg[3] = (uint32_t)wasmc_host_load64((uint64_t)m + 24);        // iovlen, an int
	int64_t dflags = (flags & L_MSG_PEEK ? D_MSG_PEEK : 0) | (flags & L_MSG_WAITALL ? D_MSG_WAITALL : 0);
	int64_t r = wasmc_syscall(nr, fd, (int64_t)wasmc_rt_host(dmsg), dflags, 0, 0, 0);
	uint32_t out = (uint32_t)(dmsg[5] >> 32);
	wasmc_host_store64((uint64_t)m + 48, out & D_MSG_TRUNC ? L_MSG_TRUNC : 0);
	return r;
}

int64_t darwin_sys(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5) {
	switch (nr) {
	case WASMC_SYS_socket:
		return sock_flags(wasmc_syscall(nr, a0, a1 & ~(int64_t)(L_SOCK_CLOEXEC | L_SOCK_NONBLOCK), a2, 0, 0, 0), a1);
	case WASMC_SYS_setsockopt:
		if (a1 == L_SOL_SOCKET && a2 == L_SO_REUSEADDR)
			return wasmc_syscall(nr, a0, D_SOL_SOCKET, D_SO_REUSEADDR, a3, a4, 0);
		return -L_EINVAL;
	case WASMC_SYS_bind: {
		int64_t p = sockaddr_at(a1, a2);
		return p < 0 ? p : wasmc_syscall(nr, a0, p, a2, 0, 0, 0);
	}
	case WASMC_SYS_recvmsg:
	case WASMC_SYS_sendmsg:
		return msgio(nr, a0, a1, a2);
	case WASMC_SYS_statx:
		return do_statx(a0, a1, a2);
	case WASMC_SYS_close:
		if (a0 == dir_fd)
			dir_close();
		break;
	case WASMC_SYS_preadv:
	case WASMC_SYS_pwritev:
		// One iovec, always (iov_load).
		if (a2 != 1)
			return a2 == 0 ? 0 : -L_EINVAL;
		return wasmc_syscall(nr == WASMC_SYS_preadv ? WASMC_SYS_pread : WASMC_SYS_pwrite, a0,
				     (int64_t)wasmc_host_load64((uint64_t)a1), (int64_t)wasmc_host_load64((uint64_t)a1 + 8), a3, 0, 0);
	case WASMC_SYS_renameat2:
		if (a4 != 0)
			return -L_EINVAL;
		return wasmc_syscall(WASMC_SYS_renameat, a0, a1, a2, a3, 0, 0);
	case WASMC_SYS_ppoll: {
		// ppoll(fds, n, timespec or NULL, sigmask, size): poll with milliseconds, rounded up.
		int64_t ms = -1;
		if (a2 != 0) {
			uint64_t s = wasmc_host_load64((uint64_t)a2), ns = wasmc_host_load64((uint64_t)a2 + 8);
			ms = s > 1000000000ull ? 0x7fffffff : (int64_t)(s * 1000 + (ns + 999999) / 1000000);
			if (ms > 0x7fffffff)
				ms = 0x7fffffff;
		}
		return wasmc_syscall(WASMC_SYS_poll, a0, a1, ms, 0, 0, 0);
	}
	case WASMC_SYS_utimensat:
		// utimensat(fd, NULL, …) and AT_EMPTY_PATH's "" are futimens on darwin.
		if (a1 == 0 || wasmc_host_load8((uint64_t)a1) == 0)
			return wasmc_syscall(WASMC_SYS_futimens, a0, utimes_at(a2), 0, 0, 0, 0);
		return wasmc_syscall(WASMC_SYS_utimensat, a0, a1, utimes_at(a2), a3, 0, 0);
	case WASMC_SYS_fadvise64:
		return 0; // advice; darwin has no posix_fadvise
	case WASMC_SYS_accept4:
		return sock_flags(wasmc_syscall(WASMC_SYS_accept, a0, a1, a2, 0, 0, 0), a3);
	}
	return wasmc_syscall(nr, a0, a1, a2, a3, a4, a5);
}
#endif
