// wasi_dir.c: fd_readdir.
//
// As in Wasmtime, a cookie is an entry's index: 0 is ".", 1 is "..", then the entries
// the kernel lists, in its order, without its own "." and "..". A cookie can be read
// from the start of the directory by skipping that many entries, as Wasmtime does; but
// a program that deletes what it has read (Rust's remove_dir_all) would then skip
// entries it never saw. So the descriptor remembers where the last call stopped, and a
// call that goes on from there (from the last entry, cut short, or from the next)
// resumes at the kernel's directory offset instead: the same entries and cookies as
// Wasmtime when nothing changes, and none lost when something does. The guest's buffer
// is filled completely, the last entry cut short if it does not fit, which tells the
// guest to call again from that entry's cookie with a larger buffer.
#include "wasi.h"

#define WASMC_DT_UNKNOWN 0
#define L_SEEK_SET 0

static uint8_t dents[8192];
static uint8_t dirent[24];

uint32_t statx_fd(int32_t host);

static uint8_t dtype(uint8_t t) {
	switch (t) {
	case 1: // DT_FIFO
		return FT_UNKNOWN;
	case 2: // DT_CHR
		return FT_CHAR;
	case 4: // DT_DIR
		return FT_DIR;
	case 6: // DT_BLK
		return FT_BLOCK;
	case 8: // DT_REG
		return FT_REG;
	case 10: // DT_LNK
		return FT_SYMLINK;
	case 12: // DT_SOCK
		return FT_STREAM;
	}
	return FT_UNKNOWN;
}

// The guest's buffer while fd_readdir fills it: where it starts, the cursor (64 bits, so
// that it runs past 2^32 instead of wrapping to guest address 0), and the room left.
static uint32_t out_start;
static uint64_t out_p;
static uint32_t out_cap;

// put writes n bytes at the cursor, which n must not pass out_cap. As Wasmtime, only what
// is written must be inside memory; a buffer that reaches past 2^32 is outside it, and
// guest ends the program, naming the buffer's start.
static void put(const void *src, uint32_t n) {
	if (out_p + n > 0x100000000ull)
		guest(out_start, out_p + n - out_start, 1);
	gwrite((uint32_t)out_p, src, n, 1);
	out_p += n, out_cap -= n;
}

// emit puts one entry into the guest's buffer, as much of it as fits, and returns
// whether there is room for more.
static int emit(uint64_t next, uint64_t ino, uint8_t type, const char *name, uint32_t nlen) {
	le64(dirent + 0, next);
	le64(dirent + 8, ino);
	le32(dirent + 16, nlen);
	dirent[20] = type;
	dirent[21] = dirent[22] = dirent[23] = 0;
	put(dirent, out_cap < 24 ? out_cap : 24);
	if (out_cap == 0)
		return 0;
	put(name, out_cap < nlen ? out_cap : nlen);
	return out_cap > 0;
}

WASMC_EXPORT("fd_readdir")
uint32_t fd_readdir(uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t used) {
	DIR_FD(d, fd);
	uint32_t e = statx_fd(d->host);
	if (e)
		return e;
	uint64_t self = rd64(statx_buf + 32);
	uint64_t index = 2, pos = 0;
	if (cookie >= 2 && cookie == d->rd_cookie[0])
		index = cookie, pos = d->rd_off[0];
	else if (cookie >= 2 && cookie == d->rd_cookie[1])
		index = cookie, pos = d->rd_off[1];
#ifdef WASMC_DARWIN
	darwin_dir_seek(d->host, pos); // positions are entry indices there (darwin.c)
#else
	int64_t r = sys(WASMC_SYS_lseek, d->host, (int64_t)pos, L_SEEK_SET, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
#endif
	d->rd_cookie[0] = d->rd_cookie[1] = 0; // nothing to resume from until this call ends
	out_start = buf, out_p = buf, out_cap = buf_len;
	int room = 1;
	if (cookie == 0)
		room = emit(1, self, FT_DIR, ".", 1);
	if (room && cookie <= 1)
		room = emit(2, self, FT_DIR, "..", 2);
	uint64_t last_cookie = 0, last_off = 0;
	while (room) {
#ifdef WASMC_DARWIN
		int64_t n = darwin_getdents(d->host, dents, sizeof dents);
#else
		int64_t n = sys(WASMC_SYS_getdents64, d->host, (int64_t)wasmc_rt_host(dents), sizeof dents, 0, 0, 0);
#endif
		if (n < 0)
			return errno_of(n);
		if (n == 0)
			break;
		// linux_dirent64: {u64 ino, i64 off, u16 reclen, u8 type, char name[]}.
		for (int64_t at = 0; at < n && room;) {
			uint8_t *ent = dents + at;
			at += (uint16_t)(ent[16] | ent[17] << 8);
			uint64_t before = pos;
			pos = rd64(ent + 8);
			const char *name = (const char *)ent + 19;
			uint32_t nlen = (uint32_t)strlen(name);
			if ((nlen == 1 && name[0] == '.') || (nlen == 2 && name[0] == '.' && name[1] == '.'))
				continue;
			if (index++ < cookie)
				continue;
			uint8_t type = dtype(ent[18]);
			if (ent[18] == WASMC_DT_UNKNOWN) {
				int64_t s = sys(WASMC_SYS_statx, d->host, (int64_t)wasmc_rt_host(name), L_AT_SYMLINK_NOFOLLOW,
						0x7ff, (int64_t)wasmc_rt_host(statx_buf), 0);
				if (s >= 0)
					type = filetype_of(statx_buf[28] | (uint32_t)statx_buf[29] << 8);
			}
			last_cookie = index - 1, last_off = before;
			room = emit(index, rd64(ent), type, name, nlen);
		}
	}
	if (last_cookie != 0) {
		d->rd_cookie[0] = last_cookie, d->rd_off[0] = last_off;
		d->rd_cookie[1] = last_cookie + 1, d->rd_off[1] = pos;
	}
	return put32(used, buf_len - out_cap);
}
