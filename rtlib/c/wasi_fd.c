// wasi_fd.c: the fd_* functions of wasi_snapshot_preview1 but fd_readdir (wasi_dir.c).
#include "wasi.h"

#define WASI(name) WASMC_EXPORT(#name) uint32_t name

// FD looks up guest descriptor fd into d or returns EBADF.
#define FD(d, fd)                                                                          \
	struct wfd *d = fd_get(fd);                                                        \
	if (d == 0)                                                                        \
		return E_BADF;

#define L_SEEK_CUR 1

static uint32_t rw_result(int64_t r, uint32_t out) {
	if (r < 0)
		return errno_of(r);
	return put32(out, (uint32_t)r);
}

WASI(fd_read)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) {
	FD(d, fd);
	uint32_t e = iov_load(iovs, n, &n);
	if (e)
		return e;
	return rw_result(sys(WASMC_SYS_readv, d->host, (int64_t)wasmc_rt_host(hiov), n, 0, 0, 0), nread);
}

WASI(fd_write)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
	FD(d, fd);
	uint32_t e = iov_load(iovs, n, &n);
	if (e)
		return e;
	return rw_result(sys(WASMC_SYS_writev, d->host, (int64_t)wasmc_rt_host(hiov), n, 0, 0, 0), nwritten);
}

WASI(fd_pread)(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nread) {
	FD(d, fd);
	uint32_t e = iov_load(iovs, n, &n);
	if (e)
		return e;
	if ((int64_t)offset < 0)
		return E_INVAL;
	return rw_result(sys(WASMC_SYS_preadv, d->host, (int64_t)wasmc_rt_host(hiov), n, (int64_t)offset, 0, 0), nread);
}

WASI(fd_pwrite)(uint32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t nwritten) {
	FD(d, fd);
	uint32_t e = iov_load(iovs, n, &n);
	if (e)
		return e;
	if ((int64_t)offset < 0)
		return E_INVAL;
	return rw_result(sys(WASMC_SYS_pwritev, d->host, (int64_t)wasmc_rt_host(hiov), n, (int64_t)offset, 0, 0), nwritten);
}

WASI(fd_seek)(uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset) {
	FD(d, fd);
	if (whence > 2)
		return E_INVAL;
	if (d->type == FT_STREAM || d->type == FT_DGRAM)
		return E_SPIPE;
	int64_t r = sys(WASMC_SYS_lseek, d->host, offset, whence, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put64(newoffset, (uint64_t)r);
}

WASI(fd_tell)(uint32_t fd, uint32_t offset) {
	FD(d, fd);
	int64_t r = sys(WASMC_SYS_lseek, d->host, 0, L_SEEK_CUR, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put64(offset, (uint64_t)r);
}

WASI(fd_close)(uint32_t fd) {
	FD(d, fd);
	sys(WASMC_SYS_close, d->host, 0, 0, 0, 0, 0);
	d->host = -1;
	return E_SUCCESS;
}

WASI(fd_renumber)(uint32_t from, uint32_t to) {
	FD(f, from);
	FD(t, to);
	if (f == t)
		return E_SUCCESS;
	sys(WASMC_SYS_close, t->host, 0, 0, 0, 0, 0);
	*t = *f;
	f->host = -1;
	return E_SUCCESS;
}

WASI(fd_sync)(uint32_t fd) {
	FD(d, fd);
	return errno_of(sys(WASMC_SYS_fsync, d->host, 0, 0, 0, 0, 0));
}

WASI(fd_datasync)(uint32_t fd) {
	FD(d, fd);
	return errno_of(sys(WASMC_SYS_fdatasync, d->host, 0, 0, 0, 0, 0));
}

WASI(fd_advise)(uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
	FD(d, fd);
	// WASI's advice: normal, sequential, random, willneed, dontneed, noreuse; Linux
	// swaps sequential and random.
	static const uint8_t linux_advice[6] = {0, 2, 1, 3, 4, 5};
	if (advice > 5)
		return E_INVAL;
	if (d->type == FT_DIR)
		return E_BADF;
	return errno_of(sys(WASMC_SYS_fadvise64, d->host, (int64_t)offset, (int64_t)len, linux_advice[advice], 0, 0));
}

WASI(fd_allocate)(uint32_t fd, uint64_t offset, uint64_t len) {
	FD(d, fd);
	if (d->type == FT_DIR)
		return E_BADF;
	return errno_of(sys(WASMC_SYS_fallocate, d->host, 0, (int64_t)offset, (int64_t)len, 0, 0));
}

#define L_F_GETFL 3
#define L_F_SETFL 4

WASI(fd_fdstat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	uint16_t flags = 0;
	int64_t fl = sys(WASMC_SYS_fcntl, d->host, L_F_GETFL, 0, 0, 0, 0);
	if (fl >= 0) {
		if (fl & L_O_APPEND)
			flags |= FDF_APPEND;
		if (fl & L_O_NONBLOCK)
			flags |= FDF_NONBLOCK;
		if ((fl & L_O_SYNC) == L_O_SYNC)
			flags |= FDF_SYNC | (d->fdflags & FDF_RSYNC);
		else if (fl & L_O_DSYNC)
			flags |= FDF_DSYNC;
	}
	static uint8_t st[24];
	memset(st, 0, sizeof st);
	st[0] = d->type;
	le16(st + 2, flags);
	le64(st + 8, d->rights);
	le64(st + 16, d->inheriting);
	return wasmc_guest_write(out, st, sizeof st) == 0 ? E_SUCCESS : E_FAULT;
}

WASI(fd_fdstat_set_flags)(uint32_t fd, uint32_t flags) {
	FD(d, fd);
	if (flags & ~(uint32_t)(FDF_APPEND | FDF_DSYNC | FDF_NONBLOCK | FDF_RSYNC | FDF_SYNC))
		return E_INVAL;
	// Linux changes only O_APPEND and O_NONBLOCK on an open file.
	if (flags & (FDF_DSYNC | FDF_RSYNC | FDF_SYNC))
		return E_NOTSUP;
	int64_t fl = sys(WASMC_SYS_fcntl, d->host, L_F_GETFL, 0, 0, 0, 0);
	if (fl < 0)
		return errno_of(fl);
	fl &= ~(int64_t)(L_O_APPEND | L_O_NONBLOCK);
	if (flags & FDF_APPEND)
		fl |= L_O_APPEND;
	if (flags & FDF_NONBLOCK)
		fl |= L_O_NONBLOCK;
	int64_t r = sys(WASMC_SYS_fcntl, d->host, L_F_SETFL, fl, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	d->fdflags = (uint16_t)flags;
	return E_SUCCESS;
}

WASI(fd_fdstat_set_rights)(uint32_t fd, uint64_t base, uint64_t inheriting) {
	FD(d, fd);
	// Rights can only be dropped.
	if ((base & ~d->rights) || (inheriting & ~d->inheriting))
		return E_NOTCAPABLE;
	d->rights = base;
	d->inheriting = inheriting;
	return E_SUCCESS;
}

uint32_t statx_fd(int32_t host) {
	int64_t r = sys(WASMC_SYS_statx, host, (int64_t)wasmc_rt_host(""), L_AT_EMPTY_PATH, 0x7ff,
			(int64_t)wasmc_rt_host(statx_buf), 0);
	return errno_of(r);
}

uint32_t put_filestat(uint32_t out) {
	static uint8_t st[64];
	stat_to(st, statx_buf);
	return wasmc_guest_write(out, st, sizeof st) == 0 ? E_SUCCESS : E_FAULT;
}

WASI(fd_filestat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	uint32_t e = statx_fd(d->host);
	if (e)
		return e;
	if (d->type == FT_STREAM || d->type == FT_DGRAM)
		statx_buf[28] = 0, statx_buf[29] = 0140; // a socket, whatever the kernel says
	return put_filestat(out);
}

WASI(fd_filestat_set_size)(uint32_t fd, uint64_t size) {
	FD(d, fd);
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
	if ((fst & FST_ATIM && fst & FST_ATIM_NOW) || (fst & FST_MTIM && fst & FST_MTIM_NOW) ||
	    fst & ~15u)
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
	FD(d, fd);
	uint32_t e = times_load(atim, mtim, fst);
	if (e)
		return e;
	return errno_of(sys(WASMC_SYS_utimensat, d->host, 0, (int64_t)wasmc_rt_host(utimes_ts), 0, 0, 0));
}

WASI(fd_prestat_get)(uint32_t fd, uint32_t out) {
	FD(d, fd);
	if (!d->preopen)
		return E_BADF;
	static uint32_t st[2];
	st[0] = 0; // a directory
	st[1] = d->name_len;
	return wasmc_guest_write(out, st, 8) == 0 ? E_SUCCESS : E_FAULT;
}

WASI(fd_prestat_dir_name)(uint32_t fd, uint32_t path, uint32_t len) {
	FD(d, fd);
	if (!d->preopen)
		return E_BADF;
	if (len < d->name_len)
		return E_NAMETOOLONG;
	uint64_t h = guest_range(path, d->name_len);
	if (h == 0)
		return E_FAULT;
	wasmc_host_move(h, d->name, d->name_len);
	return E_SUCCESS;
}
