// wasi_core.c: the descriptor table, guest memory access and errno translation that
// every WASI function uses (wasi.h).
#include "wasi.h"

struct wfd fds[MAX_FDS];
uint64_t hiov[2 * MAX_IOV];
uint8_t statx_buf[256];

struct wfd *fd_get(uint32_t fd) {
	if (fd >= MAX_FDS || fds[fd].host < 0)
		return 0;
	return &fds[fd];
}

int32_t fd_new(int32_t host, uint8_t type, uint64_t rights, uint64_t inheriting) {
	for (int32_t i = 0; i < MAX_FDS; i++) {
		if (fds[i].host >= 0)
			continue;
		memset(&fds[i], 0, sizeof fds[i]);
		fds[i].host = host;
		fds[i].type = type;
		fds[i].rights = rights;
		fds[i].inheriting = inheriting;
		return i;
	}
	return -1;
}

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

uint32_t errno_of(int64_t r) {
	if (r >= 0)
		return E_SUCCESS;
	uint64_t e = (uint64_t)-r;
	if (e < sizeof linux_errno && linux_errno[e] != 0)
		return linux_errno[e];
	return E_IO;
}

int64_t sys(int32_t nr, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5) {
	int64_t r;
	do
		r = wasmc_syscall(nr, a0, a1, a2, a3, a4, a5);
	while (r == -L_EINTR);
	return r;
}

uint64_t guest_range(uint32_t p, uint64_t n) {
	uint64_t desc = wasmc_guest_memory();
	if (desc == 0)
		return 0;
	uint64_t size = wasmc_host_load64(desc + WASMC_DESC_SIZE);
	if (n > size || p > size - n)
		return 0;
	return wasmc_host_load64(desc + WASMC_DESC_BASE) + p;
}

uint32_t get32(uint32_t p, uint32_t *v) {
	return wasmc_guest_read(v, p, 4) == 0 ? E_SUCCESS : E_FAULT;
}
uint32_t put8(uint32_t p, uint8_t v) {
	return wasmc_guest_write(p, &v, 1) == 0 ? E_SUCCESS : E_FAULT;
}
uint32_t put16(uint32_t p, uint16_t v) {
	return wasmc_guest_write(p, &v, 2) == 0 ? E_SUCCESS : E_FAULT;
}
uint32_t put32(uint32_t p, uint32_t v) {
	return wasmc_guest_write(p, &v, 4) == 0 ? E_SUCCESS : E_FAULT;
}
uint32_t put64(uint32_t p, uint64_t v) {
	return wasmc_guest_write(p, &v, 8) == 0 ? E_SUCCESS : E_FAULT;
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

static uint32_t giov[2 * MAX_IOV]; // the guest's iovecs, copied in

uint32_t iov_load(uint32_t iovs, uint32_t count, uint32_t *n) {
	// Linux takes at most IOV_MAX (1024) buffers at once; a longer list is served in
	// part, which the guest sees as a short read or write, as POSIX allows.
	if (count > MAX_IOV)
		count = MAX_IOV;
	if (wasmc_guest_read(giov, iovs, count * 8) != 0)
		return E_FAULT;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t len = giov[2 * i + 1];
		uint64_t h = guest_range(giov[2 * i], len);
		if (h == 0)
			return E_FAULT;
		hiov[2 * i] = h;
		hiov[2 * i + 1] = len;
	}
	*n = count;
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

// A start-up failure: "wasmc: WHAT ARG: errno N" on stderr, then exit status 1.
static char msg[512];
static uint32_t msg_len;
static void add(const char *s, uint32_t n) {
	for (uint32_t i = 0; i < n && msg_len < sizeof msg; i++)
		msg[msg_len++] = s[i];
}
void die(const char *what, const char *arg, uint64_t arg_host, uint32_t arg_len, int64_t err) {
	msg_len = 0;
	add("wasmc: ", 7);
	add(what, (uint32_t)strlen(what));
	add(" ", 1);
	if (arg)
		add(arg, (uint32_t)strlen(arg));
	for (uint32_t i = 0; i < arg_len && msg_len < sizeof msg; i++)
		msg[msg_len++] = (char)wasmc_host_load8(arg_host + i);
	if (err < 0) {
		char num[20];
		add(": Linux errno ", 14);
		add(num, (uint32_t)wasmc_utoa(num, (uint64_t)-err, 10));
	}
	add("\n", 1);
	wasmc_syscall(WASMC_SYS_write, 2, (int64_t)wasmc_rt_host(msg), msg_len, 0, 0, 0);
	wasmc_syscall(WASMC_SYS_exit_group, 1, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
