// wasi_core.c: the descriptor table, guest memory access and errno translation that
// every WASI function uses (wasi.h).
#include "wasi.h"

struct wfd fds[MAX_FDS];
uint64_t hiov[2];
uint8_t statx_buf[256];

struct wfd *fd_get(uint32_t fd) {
	if (fd >= MAX_FDS || fds[fd].kind == K_FREE)
		return 0;
	return &fds[fd];
}

// fd_end is one above the highest slot ever used: no slot from it up is open or freed.
// Slots 0 to 2 are stdio's, which wasi_init.c fills without fd_new.
static int32_t fd_end = 3;

int32_t fd_new(int32_t host, uint8_t kind, uint8_t type) {
	int32_t fd = -1, top = -1;
	for (int32_t i = fd_end - 1; i >= 0 && fd < 0; i--) {
		if (fds[i].kind != K_FREE) {
			if (top < 0)
				top = i;
		} else if (fds[i].freed) {
			fd = i;
		}
	}
	if (fd < 0) {
		fd = top + 1;
		if (fd >= MAX_FDS)
			return -1;
	}
	if (fd >= fd_end)
		fd_end = fd + 1;
	memset(&fds[fd], 0, sizeof fds[fd]);
	fds[fd].host = host;
	fds[fd].kind = kind;
	fds[fd].type = type;
	return fd;
}

void fd_free(uint32_t fd) {
	memset(&fds[fd], 0, sizeof fds[fd]);
	fds[fd].host = -1;
	fds[fd].freed = 1;
}

#ifdef WASMC_DARWIN
// darwin_errno maps Darwin's errno numbers (<sys/errno.h>, the same on amd64 and arm64)
// to WASI's, as linux_errno does Linux's; rtlib's TestDarwinConstants checks it against
// GOROOT's darwin tables. ENOTSUP (45) and EOPNOTSUPP (102) are distinct there.
static const uint8_t darwin_errno[106] = {
	[1] = E_PERM, [2] = E_NOENT, [3] = E_SRCH, [4] = E_INTR, [5] = E_IO, [6] = E_NXIO,
	[7] = E_2BIG, [8] = E_NOEXEC, [9] = E_BADF, [10] = E_CHILD, [11] = E_DEADLK,
	[12] = E_NOMEM, [13] = E_ACCES, [14] = E_FAULT, [16] = E_BUSY, [17] = E_EXIST,
	[18] = E_XDEV, [19] = E_NODEV, [20] = E_NOTDIR, [21] = E_ISDIR, [22] = E_INVAL,
	[23] = E_NFILE, [24] = E_MFILE, [25] = E_NOTTY, [26] = E_TXTBSY, [27] = E_FBIG,
	[28] = E_NOSPC, [29] = E_SPIPE, [30] = E_ROFS, [31] = E_MLINK, [32] = E_PIPE,
	[33] = E_DOM, [34] = E_RANGE, [35] = E_AGAIN, [36] = E_INPROGRESS,
	[37] = E_ALREADY, [38] = E_NOTSOCK, [39] = E_DESTADDRREQ, [40] = E_MSGSIZE,
	[41] = E_PROTOTYPE, [42] = E_NOPROTOOPT, [43] = E_PROTONOSUPPORT, [45] = E_NOTSUP,
	[47] = E_AFNOSUPPORT, [48] = E_ADDRINUSE, [49] = E_ADDRNOTAVAIL, [50] = E_NETDOWN,
	[51] = E_NETUNREACH, [52] = E_NETRESET, [53] = E_CONNABORTED, [54] = E_CONNRESET,
	[55] = E_NOBUFS, [56] = E_ISCONN, [57] = E_NOTCONN, [60] = E_TIMEDOUT,
	[61] = E_CONNREFUSED, [62] = E_LOOP, [63] = E_NAMETOOLONG, [65] = E_HOSTUNREACH,
	[66] = E_NOTEMPTY, [69] = E_DQUOT, [70] = E_STALE, [77] = E_NOLCK, [78] = E_NOSYS,
	[84] = E_OVERFLOW, [89] = E_CANCELED, [90] = E_IDRM, [91] = E_NOMSG,
	[92] = E_ILSEQ, [94] = E_BADMSG, [95] = E_MULTIHOP, [97] = E_NOLINK,
	[100] = E_PROTO, [102] = E_NOTSUP, [104] = E_NOTRECOVERABLE, [105] = E_OWNERDEAD,
};
#define host_errno darwin_errno
#else
// linux_errno maps Linux's errno numbers (the same on every architecture wasmc targets)
// to WASI's; 0 marks one WASI has no name for, which becomes E_IO.
static const uint8_t linux_errno[134] = {
	[1] = E_PERM, [2] = E_NOENT, [3] = E_SRCH, [4] = E_INTR, [5] = E_IO, [6] = E_NXIO,
	[7] = E_2BIG, [8] = E_NOEXEC, [9] = E_BADF, [10] = E_CHILD, [11] = E_AGAIN,
	[12] = E_NOMEM, [13] = E_ACCES, [14] = E_FAULT, [16] = E_BUSY, [17] = E_EXIST,
	[18] = E_XDEV, [19] = E_NODEV, [20] = E_NOTDIR, [21] = E_ISDIR, [22] = E_INVAL,
	[23] = E_NFILE, [24] = E_MFILE, [25] = E_NOTTY, [26] = E_TXTBSY, [27] = E_FBIG,
	[28] = E_NOSPC, [29] = E_SPIPE, [30] = E_ROFS, [31] = E_MLINK, [32] = E_PIPE,
	[33] = E_DOM, [34] = E_RANGE, [35] = E_DEADLK, [36] = E_NAMETOOLONG, [37] = E_NOLCK,
	[38] = E_NOSYS, [39] = E_NOTEMPTY, [40] = E_LOOP, [42] = E_NOMSG, [43] = E_IDRM,
	[67] = E_NOLINK, [71] = E_PROTO, [72] = E_MULTIHOP, [74] = E_BADMSG,
	[75] = E_OVERFLOW, [84] = E_ILSEQ, [88] = E_NOTSOCK, [89] = E_DESTADDRREQ,
	[90] = E_MSGSIZE, [91] = E_PROTOTYPE, [92] = E_NOPROTOOPT, [93] = E_PROTONOSUPPORT,
	[95] = E_NOTSUP, [97] = E_AFNOSUPPORT, [98] = E_ADDRINUSE, [99] = E_ADDRNOTAVAIL,
	[100] = E_NETDOWN, [101] = E_NETUNREACH, [102] = E_NETRESET, [103] = E_CONNABORTED,
	[104] = E_CONNRESET, [105] = E_NOBUFS, [106] = E_ISCONN, [107] = E_NOTCONN,
	[110] = E_TIMEDOUT, [111] = E_CONNREFUSED, [113] = E_HOSTUNREACH, [114] = E_ALREADY,
	[115] = E_INPROGRESS, [116] = E_STALE, [122] = E_DQUOT, [125] = E_CANCELED,
	[130] = E_OWNERDEAD, [131] = E_NOTRECOVERABLE,
};
#define host_errno linux_errno
#endif

uint32_t errno_of(int64_t r) {
	if (r >= 0)
		return E_SUCCESS;
	uint64_t e = (uint64_t)-r;
	if (e < sizeof host_errno && host_errno[e] != 0)
		return host_errno[e];
	return E_IO;
}

int64_t sys(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5) {
	int64_t r;
	do
#ifdef WASMC_DARWIN
		r = darwin_sys(nr, a0, a1, a2, a3, a4, a5);
#else
		r = wasmc_syscall(nr, a0, a1, a2, a3, a4, a5);
#endif
	while (r == -L_EINTR);
	return r;
}

// fault ends the program the way Wasmtime does when a WASI call's pointer is bad: not a
// trap but an error, status 1. Nothing outside linear memory has been touched.
__attribute__((noreturn)) static void fault(uint32_t p, uint64_t n, uint32_t align) {
	const char *why = n > 0 && p % align != 0 ? "a WASI call's pointer is not aligned:"
						   : "a WASI call's pointer is outside linear memory:";
	char num[24];
	num[0] = ' ';
	num[1] = '0';
	num[2] = 'x';
	uint32_t k = 3 + (uint32_t)wasmc_utoa(num + 3, p, 16);
	die(why, 0, wasmc_rt_host(num), k, 0);
}

void bad_arg(const char *what) { die("a WASI call's argument is invalid:", what, 0, 0, 0); }

uint64_t guest_size(void) {
	uint64_t desc = wasmc_guest_memory();
	return desc ? wasmc_host_load64(desc + WASMC_DESC_SIZE) : 0;
}

void guest_at(uint32_t p) {
	if (p > guest_size())
		fault(p, 1, 1);
}

uint64_t guest(uint32_t p, uint64_t n, uint32_t align) {
	uint64_t desc = wasmc_guest_memory();
	if (desc == 0) {
		if (n == 0)
			return 1; // never dereferenced
		fault(p, n, align);
	}
	uint64_t base = wasmc_host_load64(desc + WASMC_DESC_BASE);
	if (n == 0)
		return base;
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	if (n > size || p > size - n || p % align != 0)
		fault(p, n, align);
	return base + p;
}

void gread(void *dst, uint32_t p, uint32_t n, uint32_t align) {
	guest(p, n, align);
	if (n > 0)
		wasmc_guest_read(dst, p, n);
}

void gwrite(uint32_t p, const void *src, uint32_t n, uint32_t align) {
	guest(p, n, align);
	if (n > 0)
		wasmc_guest_write(p, src, n);
}

uint32_t get32(uint32_t p, uint32_t *v) {
	gread(v, p, 4, 4);
	return E_SUCCESS;
}
uint32_t put8(uint32_t p, uint8_t v) {
	gwrite(p, &v, 1, 1);
	return E_SUCCESS;
}
uint32_t put16(uint32_t p, uint16_t v) {
	gwrite(p, &v, 2, 2);
	return E_SUCCESS;
}
uint32_t put32(uint32_t p, uint32_t v) {
	gwrite(p, &v, 4, 4);
	return E_SUCCESS;
}
uint32_t put64(uint32_t p, uint64_t v) {
	gwrite(p, &v, 8, 8);
	return E_SUCCESS;
}

void le16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
void le32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
void le64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
uint64_t rd64(const uint8_t *p) {
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
uint32_t rd32(const uint8_t *p) {
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}


uint32_t iov_first(uint32_t iovs, uint32_t count, uint32_t *p, uint32_t *len) {
	for (uint32_t i = 0; i < count; i++) {
		uint32_t e[2];
		if ((uint64_t)iovs + 8ull * i > 0xffffffffull)
			guest(iovs, 8ull * (i + 1), 4); // wraps around: ends the program
		gread(e, iovs + 8 * i, 8, 4);
		if (e[1] == 0)
			continue;
		*p = e[0], *len = e[1];
		return 1;
	}
	return 0;
}

uint32_t iov_load(uint32_t iovs, uint32_t count, uint32_t *n) {
	// As Wasmtime: only the first non-empty buffer is transferred, a short read or write
	// that POSIX allows and every caller loops over. Entries up to it must be inside
	// memory, and it too; nothing after it is looked at.
	uint32_t p, len;
	*n = iov_first(iovs, count, &p, &len);
	if (*n) {
		hiov[0] = guest(p, len, 1);
		hiov[1] = len;
	}
	return E_SUCCESS;
}

uint8_t filetype_of(uint32_t mode) {
	switch (mode & 0170000) {
	case 0040000:
		return FT_DIR;
	case 0100000:
		return FT_REG;
	case 0120000:
		return FT_SYMLINK;
	case 0020000:
		return FT_CHAR;
	case 0060000:
		return FT_BLOCK;
	case 0140000:
		return FT_STREAM;
	}
	return FT_UNKNOWN;
}

// statx's timestamps are {i64 sec, u32 nsec, i32 pad}; WASI's are nanoseconds in a u64.
static uint64_t stx_time(const uint8_t *t) {
	return (uint64_t)(int64_t)rd64(t) * 1000000000ull + rd32(t + 8);
}

void stat_to(uint8_t *out, const uint8_t *stx) {
	memset(out, 0, 64);
	uint64_t dev = ((uint64_t)rd32(stx + 136) << 32) | rd32(stx + 140);
	le64(out + 0, dev);
	le64(out + 8, rd64(stx + 32));                        // ino
	out[16] = filetype_of(stx[28] | (uint32_t)stx[29] << 8); // mode
	le64(out + 24, rd32(stx + 16));                       // nlink
	le64(out + 32, rd64(stx + 40));                       // size
	le64(out + 40, stx_time(stx + 64));                   // atime
	le64(out + 48, stx_time(stx + 112));                  // mtime
	le64(out + 56, stx_time(stx + 96));                   // ctime
}

// A start-up failure or a bad WASI call: "PROGRAM: WHAT ARG: WORDS" on stderr, then exit
// status 1. PROGRAM is argv[0], the name the user ran (as cp or ls name themselves), not
// wasmc, which is not running; WORDS are the errno's, not its number.
static char msg[512];
static uint32_t msg_len;
static void add(const char *s, uint32_t n) {
	for (uint32_t i = 0; i < n && msg_len < sizeof msg; i++)
		msg[msg_len++] = s[i];
}
static void add_host(uint64_t s, uint32_t n) {
	for (uint32_t i = 0; i < n && msg_len < sizeof msg; i++)
		msg[msg_len++] = (char)wasmc_host_load8(s + i);
}
void die(const char *what, const char *arg, uint64_t arg_host, uint32_t arg_len, int64_t err) {
	msg_len = 0;
	if (argc_ == 0) {
		add("wasmc", 5);
	} else {
		uint64_t prog = wasmc_host_load64(argv_);
		uint32_t n = host_strlen(prog);
		add_host(prog, n < 200 ? n : 200);
	}
	add(": ", 2);
	add(what, (uint32_t)strlen(what));
	if (arg || arg_len)
		add(" ", 1);
	if (arg)
		add(arg, (uint32_t)strlen(arg));
	add_host(arg_host, arg_len);
	if (err < 0) {
		char words[48];
		add(": ", 2);
		add(words, wasmc_strerror(words, (uint64_t)-err));
	}
	add("\n", 1);
	wasmc_syscall(WASMC_SYS_write, 2, (int64_t)wasmc_rt_host(msg), msg_len, 0, 0, 0);
	wasmc_syscall(WASMC_SYS_exit_group, 1, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
