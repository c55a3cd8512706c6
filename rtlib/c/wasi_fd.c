// wasi_fd.c: the fd_* functions of wasi_snapshot_preview1 but fd_readdir (wasi_dir.c).
#include "wasi.h"

#define WASI(name) WASMC_EXPORT(#name) uint32_t name

#define L_SEEK_CUR 1
#define L_F_GETFL 3
#define L_F_SETFL 4

static uint32_t rw_result(int64_t r, uint32_t out) {
	if (r < 0)
		return errno_of(r);
	return put32(out, (uint32_t)r);
}

// read_partial reads into guest buffer [p, p+len), of which only a part may be inside
// memory, from host descriptor h (at offset off when positioned), as Wasmtime reads a
// stream: into a buffer of its own, and then only the bytes it got must fit. So what
// fits is read in place, and one byte more probed for: if there is one, the buffer was
// too small and the program ends, else the read was short anyway.
static uint32_t read_partial(int32_t h, uint32_t p, uint32_t len, int positioned, uint64_t off, uint32_t nread) {
	uint64_t size = guest_size();
	uint32_t fits = p < size ? (uint32_t)(size - p < len ? size - p : len) : 0;
	int64_t r = 0;
	if (fits > 0) {
		hiov[0] = guest(p, fits, 1), hiov[1] = fits;
		r = positioned ? sys(WASMC_SYS_preadv, h, (int64_t)wasmc_rt_host(hiov), 1, (int64_t)off, 0, 0)
			       : sys(WASMC_SYS_readv, h, (int64_t)wasmc_rt_host(hiov), 1, 0, 0, 0);
		if (r < 0)
			return errno_of(r);
	}
	if ((uint32_t)r == fits) {
		static uint8_t probe;
		static struct {
			int32_t fd;
			int16_t events, revents;
		} pfd;
		static int64_t zero[2];
		int64_t m;
		hiov[0] = wasmc_rt_host(&probe), hiov[1] = 1;
		if (positioned) {
			m = sys(WASMC_SYS_preadv, h, (int64_t)wasmc_rt_host(hiov), 1, (int64_t)(off + fits), 0, 0);
		} else {
			pfd.fd = h, pfd.events = 1, pfd.revents = 0;
			m = sys(WASMC_SYS_ppoll, (int64_t)wasmc_rt_host(&pfd), 1, (int64_t)wasmc_rt_host(zero), 0, 8, 0);
			if (m > 0)
				m = sys(WASMC_SYS_readv, h, (int64_t)wasmc_rt_host(hiov), 1, 0, 0, 0);
		}
		if (m > 0)
			guest(p, len, 1); // ends the program
	}
	return put32(nread, (uint32_t)r);
}

WASI(fd_read)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) {
	FD(d, fd);
	if (d->kind != K_FILE && d->kind != K_STDIN && d->kind != K_SOCKET)
		return E_BADF;
	if (d->kind == K_STDIN) {
		uint32_t p, len;
		if (!iov_first(iovs, n, &p, &len))
			return put32(nread, 0);
		return read_partial(d->host, p, len, 0, 0, nread);
	}
	iov_load(iovs, n, &n);
	return rw_result(sys(WASMC_SYS_readv, d->host, (int64_t)wasmc_rt_host(hiov), n, 0, 0, 0), nread);
}

WASI(fd_write)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
	FD(d, fd);
	if (d->kind != K_FILE && d->kind != K_STDOUT && d->kind != K_SOCKET)
		return E_BADF;
	iov_load(iovs, n, &n);
	return rw_result(sys(WASMC_SYS_writev, d->host, (int64_t)wasmc_rt_host(hiov), n, 0, 0, 0), nwritten);
}

// Positioned reads and writes work on files only; streams cannot seek.
WASI(fd_pread)(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nread) {
	FD(d, fd);
	if (d->kind == K_STDIN || d->kind == K_SOCKET)
		return E_SPIPE;
	if (d->kind != K_FILE)
		return E_BADF;
	uint32_t p, len;
	if (!iov_first(iovs, n, &p, &len))
		return put32(nread, 0);
	if ((int64_t)offset < 0)
		return E_INVAL;
	return read_partial(d->host, p, len, 1, offset, nread);
}

WASI(fd_pwrite)(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nwritten) {
	FD(d, fd);
	if (d->kind == K_STDOUT || d->kind == K_SOCKET)
		return E_SPIPE;
	if (d->kind != K_FILE)
		return E_BADF;
	iov_load(iovs, n, &n);
	if ((int64_t)offset < 0)
		return E_INVAL;
	return rw_result(sys(WASMC_SYS_pwritev, d->host, (int64_t)wasmc_rt_host(hiov), n, (int64_t)offset, 0, 0), nwritten);
}

// SEEKABLE looks up a file descriptor that has a position: streams give ESPIPE, anything
// else EBADF.
#define SEEKABLE(d, fd)                                                                    \
	FD(d, fd);                                                                         \
	if (d->kind == K_STDIN || d->kind == K_STDOUT || d->kind == K_SOCKET)              \
		return E_SPIPE;                                                            \
	if (d->kind != K_FILE)                                                             \
		return E_BADF;

WASI(fd_seek)(uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset) {
	if (whence > 2)
		bad_arg("whence");
	SEEKABLE(d, fd);
	int64_t r = sys(WASMC_SYS_lseek, d->host, offset, whence, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put64(newoffset, (uint64_t)r);
}

WASI(fd_tell)(uint32_t fd, uint32_t offset) {
	SEEKABLE(d, fd);
	int64_t r = sys(WASMC_SYS_lseek, d->host, 0, L_SEEK_CUR, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put64(offset, (uint64_t)r);
}

WASI(fd_close)(uint32_t fd) {
	FD(d, fd);
	sys(WASMC_SYS_close, d->host, 0, 0, 0, 0, 0);
	fd_free(fd);
	return E_SUCCESS;
}

WASI(fd_renumber)(uint32_t from, uint32_t to) {
	FD(t, to);
	FD(f, from);
	if (f == t)
		return E_SUCCESS;
	sys(WASMC_SYS_close, t->host, 0, 0, 0, 0, 0);
	*t = *f;
	t->freed = 0;
	fd_free(from);
	return E_SUCCESS;
}

WASI(fd_sync)(uint32_t fd) {
	FILE_FD(d, fd);
	return errno_of(sys(WASMC_SYS_fsync, d->host, 0, 0, 0, 0, 0));
}

WASI(fd_datasync)(uint32_t fd) {
	FILE_FD(d, fd);
	return errno_of(sys(WASMC_SYS_fdatasync, d->host, 0, 0, 0, 0, 0));
}

WASI(fd_advise)(uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
	// WASI's advice: normal, sequential, random, willneed, dontneed, noreuse; Linux
	// swaps sequential and random.
	static const uint8_t linux_advice[6] = {0, 2, 1, 3, 4, 5};
	if (advice > 5)
		bad_arg("advice");
	FILE_FD(d, fd);
	return errno_of(sys(WASMC_SYS_fadvise64, d->host, (int64_t)offset, (int64_t)len, linux_advice[advice], 0, 0));
}

// As Wasmtime: fd_allocate is not supported (WASI has deprecated it).
WASI(fd_allocate)(uint32_t fd, uint64_t offset, uint64_t len) {
	(void)offset, (void)len;
	FILE_FD(d, fd);
	return E_NOTSUP;
}

WASI(fd_fdstat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	uint64_t base, inheriting;
	switch (d->kind) {
	case K_STDIN:
		base = inheriting = R_FD_READ;
		break;
	case K_STDOUT:
		base = inheriting = R_FD_WRITE;
		break;
	case K_SOCKET:
		base = inheriting = R_SOCKET;
		break;
	default:
		if (d->preopen) {
			base = R_PREOPEN;
			inheriting = R_PREOPEN_INHERITING;
			break;
		}
		base = R_ALL;
		if (d->kind == K_DIR)
			base &= ~(R_FD_SEEK | R_FD_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_SIZE);
		if (!(d->access & A_READ))
			base &= ~(R_FD_READ | R_FD_READDIR);
		if (!(d->access & A_WRITE))
			base &= ~R_FD_WRITE;
		inheriting = base;
	}
	static uint8_t st[24];
	memset(st, 0, sizeof st);
	st[0] = d->type;
	le16(st + 2, d->fdflags);
	le64(st + 8, base);
	le64(st + 16, inheriting);
	gwrite(out, st, sizeof st, 8);
	return E_SUCCESS;
}

// fd_fdstat_set_flags changes APPEND and NONBLOCK, the flags a descriptor can change.
// As in Wasmtime, NONBLOCK is only noted for a file, whose reads and writes never wait
// anyway; on a socket it is real.
WASI(fd_fdstat_set_flags)(uint32_t fd, uint32_t flags) {
	if (flags & ~(uint32_t)(FDF_APPEND | FDF_DSYNC | FDF_NONBLOCK | FDF_RSYNC | FDF_SYNC))
		bad_arg("fdflags");
	FD(d, fd);
	if (d->kind != K_FILE && d->kind != K_SOCKET)
		return E_BADF;
	if (flags & (FDF_DSYNC | FDF_RSYNC | FDF_SYNC))
		return E_INVAL;
	int64_t fl = sys(WASMC_SYS_fcntl, d->host, L_F_GETFL, 0, 0, 0, 0);
	if (fl < 0)
		return errno_of(fl);
	fl &= ~(int64_t)(L_O_APPEND | L_O_NONBLOCK);
	if (flags & FDF_APPEND)
		fl |= L_O_APPEND;
	if (flags & FDF_NONBLOCK && d->kind == K_SOCKET)
		fl |= L_O_NONBLOCK;
	int64_t r = sys(WASMC_SYS_fcntl, d->host, L_F_SETFL, fl, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	d->fdflags = (uint16_t)flags;
	return E_SUCCESS;
}

// As Wasmtime: rights cannot be changed.
WASI(fd_fdstat_set_rights)(uint32_t fd, uint64_t base, uint64_t inheriting) {
	if ((base | inheriting) & R_UNDEFINED)
		bad_arg("rights");
	FD(d, fd);
	if (d->kind == K_STDIN || d->kind == K_STDOUT)
		return E_BADF;
	return E_NOTSUP;
}

uint32_t statx_fd(int32_t host) {
	int64_t r = sys(WASMC_SYS_statx, host, (int64_t)wasmc_rt_host(""), L_AT_EMPTY_PATH, 0x7ff,
			(int64_t)wasmc_rt_host(statx_buf), 0);
	return errno_of(r);
}

uint32_t put_filestat(uint32_t out) {
	static uint8_t st[64];
	stat_to(st, statx_buf);
	gwrite(out, st, sizeof st, 8);
	return E_SUCCESS;
}

WASI(fd_filestat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	if (d->kind == K_STDIN || d->kind == K_STDOUT) {
		// As Wasmtime: a stream has no file behind it, only a type.
		static uint8_t st[64];
		memset(st, 0, sizeof st);
		st[16] = d->type;
		gwrite(out, st, sizeof st, 8);
		return E_SUCCESS;
	}
	uint32_t e = statx_fd(d->host);
	if (e)
		return e;
	if (d->kind == K_SOCKET)
		statx_buf[28] = 0, statx_buf[29] = 0140; // a socket, whatever the kernel says
	return put_filestat(out);
}

WASI(fd_filestat_set_size)(uint32_t fd, uint64_t size) {
	FILE_FD(d, fd);
	if ((int64_t)size < 0)
		return E_INVAL;
	return errno_of(sys(WASMC_SYS_ftruncate, d->host, (int64_t)size, 0, 0, 0, 0));
}

// FST_* are fstflags: set atime or mtime to a value or to now.
#define FST_ATIM 1
#define FST_ATIM_NOW 2
#define FST_MTIM 4
#define FST_MTIM_NOW 8
#define UTIME_NOW ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

int64_t utimes_ts[4]; // two Linux timespecs {sec, nsec}

// times_load fills utimes_ts from WASI's arguments, or returns EINVAL for contradictory
// flags.
uint32_t times_load(uint64_t atim, uint64_t mtim, uint32_t fst) {
	if (fst & ~15u)
		bad_arg("fstflags");
	if ((fst & FST_ATIM && fst & FST_ATIM_NOW) || (fst & FST_MTIM && fst & FST_MTIM_NOW))
		return E_INVAL;
	uint64_t t[2] = {atim, mtim};
	for (int i = 0; i < 2; i++) {
		uint32_t set = i == 0 ? FST_ATIM : FST_MTIM, now = i == 0 ? FST_ATIM_NOW : FST_MTIM_NOW;
		if (fst & now) {
			utimes_ts[2 * i] = 0;
			utimes_ts[2 * i + 1] = UTIME_NOW;
		} else if (fst & set) {
			utimes_ts[2 * i] = (int64_t)(t[i] / 1000000000ull);
			utimes_ts[2 * i + 1] = (int64_t)(t[i] % 1000000000ull);
		} else {
			utimes_ts[2 * i] = 0;
			utimes_ts[2 * i + 1] = UTIME_OMIT;
		}
	}
	return E_SUCCESS;
}

WASI(fd_filestat_set_times)(uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst) {
	uint32_t e = times_load(atim, mtim, fst);
	if (e)
		return e;
	FD(d, fd);
	if (d->kind != K_FILE && d->kind != K_DIR)
		return E_BADF;
	return errno_of(sys(WASMC_SYS_utimensat, d->host, 0, (int64_t)wasmc_rt_host(utimes_ts), 0, 0, 0));
}

WASI(fd_prestat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	if (!d->preopen)
		return E_BADF;
	static uint32_t st[2];
	st[0] = 0; // a directory
	st[1] = d->name_len;
	gwrite(out, st, 8, 4);
	return E_SUCCESS;
}

WASI(fd_prestat_dir_name)(uint32_t fd, uint32_t path, uint32_t len) {
	FD(d, fd);
	if (!d->preopen)
		return E_NOTDIR; // as Wasmtime
	if (len < d->name_len)
		return E_NAMETOOLONG;
	uint64_t h = guest(path, d->name_len, 1);
	wasmc_host_move(h, d->name, d->name_len);
	return E_SUCCESS;
}
