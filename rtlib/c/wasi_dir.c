// wasi_dir.c: fd_readdir.
//
// A cookie is the kernel's directory offset (getdents64's d_off) of the entry after the
// one it was returned with, so fd_readdir keeps no state: each call seeks the directory
// to the cookie and reads on. Cookie 0 is the start. The guest's buffer is filled
// completely, the last entry cut short if it does not fit, which tells the guest to
// call again from that entry's cookie with a larger buffer.
#include "wasi.h"

#define WASMC_DT_UNKNOWN 0
#define L_SEEK_SET 0

static uint8_t dents[8192];
static uint8_t dirent[24];
static char name[256];

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

WASMC_EXPORT("fd_readdir")
uint32_t fd_readdir(uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t used) {
	struct wfd *d = fd_get(fd);
	if (d == 0)
		return E_BADF;
	if (d->type != FT_DIR)
		return E_NOTDIR;
	if (guest_range(buf, buf_len) == 0 || guest_range(used, 4) == 0)
		return E_FAULT;
	int64_t r = sys(WASMC_SYS_lseek, d->host, (int64_t)cookie, L_SEEK_SET, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	uint32_t out = 0;
	while (out < buf_len) {
		int64_t n = sys(WASMC_SYS_getdents64, d->host, (int64_t)wasmc_rt_host(dents), sizeof dents, 0, 0, 0);
		if (n < 0)
			return errno_of(n);
		if (n == 0)
			break;
		// linux_dirent64: {u64 ino, i64 off, u16 reclen, u8 type, char name[]}.
		for (int64_t at = 0; at < n && out < buf_len;) {
			uint8_t *e = dents + at;
			uint16_t reclen = (uint16_t)(e[16] | e[17] << 8);
			uint32_t nlen = (uint32_t)strlen((char *)e + 19);
			uint8_t type = dtype(e[18]);
			if (e[18] == WASMC_DT_UNKNOWN) {
				int64_t s = sys(WASMC_SYS_statx, d->host, (int64_t)wasmc_rt_host(e + 19), L_AT_SYMLINK_NOFOLLOW,
						0x7ff, (int64_t)wasmc_rt_host(statx_buf), 0);
				if (s >= 0)
					type = filetype_of(statx_buf[28] | (uint32_t)statx_buf[29] << 8);
			}
			le64(dirent + 0, rd64(e + 8)); // d_next: this entry's d_off
			le64(dirent + 8, rd64(e + 0)); // d_ino
			le32(dirent + 16, nlen);
			dirent[20] = type;
			dirent[21] = dirent[22] = dirent[23] = 0;
			uint32_t k = buf_len - out < 24 ? buf_len - out : 24;
			wasmc_guest_write(buf + out, dirent, k);
			out += k;
			if (out < buf_len) {
				k = buf_len - out < nlen ? buf_len - out : nlen;
				memcpy(name, e + 19, nlen < sizeof name ? nlen : sizeof name);
				wasmc_guest_write(buf + out, name, k);
				out += k;
			}
			at += reclen;
		}
	}
	return put32(used, out);
}
