// wasi_sock.c: the sock_* functions, and the listening sockets --tcplisten preopens.
#include "wasi.h"

#define WASI(name) WASMC_EXPORT(#name) uint32_t name

// SOCK_FD looks up a socket descriptor: EBADF when there is none, ENOTSOCK when it is
// something else.
#define SOCK_FD(d, fd)                                                                     \
	FD(d, fd);                                                                         \
	if (d->kind != K_SOCKET)                                                           \
		return E_NOTSOCK;

#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_NONBLOCK 0x800
#define SOCK_CLOEXEC 0x80000
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define MSG_PEEK 2
#define MSG_TRUNC 0x20
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000

WASI(sock_accept)(uint32_t fd, uint32_t flags, uint32_t out) {
	if (flags & ~31u)
		bad_arg("fdflags");
	SOCK_FD(d, fd);
	if (flags & ~(uint32_t)FDF_NONBLOCK)
		return E_INVAL;
	int64_t h = sys(WASMC_SYS_accept4, d->host, 0, 0, SOCK_CLOEXEC | (flags & FDF_NONBLOCK ? SOCK_NONBLOCK : 0), 0, 0);
	if (h < 0)
		return errno_of(h);
	int32_t nfd = fd_new((int32_t)h, K_SOCKET, FT_STREAM);
	if (nfd < 0) {
		sys(WASMC_SYS_close, h, 0, 0, 0, 0, 0);
		return E_MFILE;
	}
	fds[nfd].fdflags = (uint16_t)flags;
	fds[nfd].access = A_READ | A_WRITE;
	return put32(out, (uint32_t)nfd);
}

// msghdr: {name, namelen u32, iov, iovlen, control, controllen, flags i32}, 56 bytes.
static uint64_t msg[7];

WASI(sock_recv)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t riflags, uint32_t datalen, uint32_t roflags) {
	if (riflags & ~3u)
		bad_arg("riflags");
	SOCK_FD(d, fd);
	iov_load(iovs, n, &n);
	memset(msg, 0, sizeof msg);
	msg[2] = wasmc_rt_host(hiov);
	msg[3] = n;
	int64_t flags = (riflags & 1 ? MSG_PEEK : 0) | (riflags & 2 ? MSG_WAITALL : 0);
	int64_t r = sys(WASMC_SYS_recvmsg, d->host, (int64_t)wasmc_rt_host(msg), flags, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	uint16_t ro = (msg[6] & MSG_TRUNC) ? 1 : 0;
	put32(datalen, (uint32_t)r);
	put16(roflags, ro);
	return E_SUCCESS;
}

WASI(sock_send)(uint32_t fd, uint32_t iovs, uint32_t n, uint32_t siflags, uint32_t datalen) {
	if (siflags != 0)
		bad_arg("siflags");
	SOCK_FD(d, fd);
	iov_load(iovs, n, &n);
	memset(msg, 0, sizeof msg);
	msg[2] = wasmc_rt_host(hiov);
	msg[3] = n;
	int64_t r = sys(WASMC_SYS_sendmsg, d->host, (int64_t)wasmc_rt_host(msg), MSG_NOSIGNAL, 0, 0, 0);
	if (r < 0)
		return errno_of(r);
	return put32(datalen, (uint32_t)r);
}

WASI(sock_shutdown)(uint32_t fd, uint32_t how) {
	// sdflags: rd 1, wr 2; Linux's SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2.
	if (how > 3)
		bad_arg("sdflags");
	SOCK_FD(d, fd);
	if (how == 0)
		return E_INVAL;
	return errno_of(sys(WASMC_SYS_shutdown, d->host, how - 1, 0, 0, 0, 0));
}

// Parsing a --tcplisten address: IPV4:PORT, [IPV6]:PORT or localhost:PORT. The Go side
// has checked its syntax already; anything odd here is a start-up failure.
static char text[128];
static uint8_t sa[28];

static int parse_port(const char *s, uint32_t *port) {
	uint32_t v = 0;
	if (*s == 0)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (uint32_t)(*s - '0')) > 65535)
			return 0;
	}
	*port = v;
	return 1;
}

static int parse_v4(const char *s, uint8_t *out) {
	for (int i = 0; i < 4; i++) {
		uint32_t v = 0, digits = 0;
		for (; *s >= '0' && *s <= '9'; s++, digits++)
			v = v * 10 + (uint32_t)(*s - '0');
		if (digits == 0 || digits > 3 || v > 255)
			return 0;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	return *s == 0;
}

static int hexval(char c) {
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// parse_v6 reads groups of hex separated by ':', with at most one "::".
static int parse_v6(const char *s, uint8_t *out) {
	uint16_t head[8], tail[8];
	int nh = 0, nt = 0, gap = 0;
	if (s[0] == ':' && s[1] == ':') {
		gap = 1;
		s += 2;
	}
	while (*s) {
		uint32_t v = 0;
		int digits = 0;
		for (int h; (h = hexval(*s)) >= 0; s++, digits++)
			v = v * 16 + (uint32_t)h;
		if (digits == 0 || digits > 4 || nh + nt == 8)
			return 0;
		if (gap)
			tail[nt++] = (uint16_t)v;
		else
			head[nh++] = (uint16_t)v;
		if (*s == 0)
			break;
		if (*s++ != ':')
			return 0;
		if (*s == ':') {
			if (gap)
				return 0;
			gap = 1;
			s++;
		}
	}
	if (!gap && nh != 8)
		return 0;
	memset(out, 0, 16);
	for (int i = 0; i < nh; i++)
		out[2 * i] = (uint8_t)(head[i] >> 8), out[2 * i + 1] = (uint8_t)head[i];
	for (int i = 0; i < nt; i++)
		out[16 - 2 * (nt - i)] = (uint8_t)(tail[i] >> 8), out[17 - 2 * (nt - i)] = (uint8_t)tail[i];
	return 1;
}

void tcp_listen(uint64_t addr, uint32_t n) {
	if (n >= sizeof text)
		die("--tcplisten: address too long", 0, 0, 0, 0);
	for (uint32_t i = 0; i < n; i++)
		text[i] = (char)wasmc_host_load8(addr + i);
	text[n] = 0;
	uint32_t colon = n;
	while (colon > 0 && text[colon - 1] != ':')
		colon--;
	uint32_t port;
	if (colon == 0 || !parse_port(text + colon, &port))
		die("--tcplisten: bad address", 0, addr, n, 0);
	text[colon - 1] = 0;
	memset(sa, 0, sizeof sa);
	int family = AF_INET, salen = 16;
	const char *host = text;
	if (host[0] == '[' && colon >= 3 && text[colon - 2] == ']') {
		text[colon - 2] = 0;
		family = AF_INET6;
		salen = 28;
		if (!parse_v6(host + 1, sa + 8))
			die("--tcplisten: bad IPv6 address", 0, addr, n, 0);
	} else if (strlen(host) == 9 && memcmp(host, "localhost", 9) == 0) {
		sa[4] = 127, sa[7] = 1;
	} else if (!parse_v4(host, sa + 4)) {
		die("--tcplisten: bad IPv4 address", 0, addr, n, 0);
	}
	sa[0] = (uint8_t)family;
	sa[2] = (uint8_t)(port >> 8);
	sa[3] = (uint8_t)port;
	int64_t s = sys(WASMC_SYS_socket, family, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0);
	if (s < 0)
		die("--tcplisten", 0, addr, n, s);
	static int32_t one = 1;
	sys(WASMC_SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, (int64_t)wasmc_rt_host(&one), 4, 0);
	int64_t r = sys(WASMC_SYS_bind, s, (int64_t)wasmc_rt_host(sa), salen, 0, 0, 0);
	if (r >= 0)
		r = sys(WASMC_SYS_listen, s, 128, 0, 0, 0, 0);
	if (r < 0)
		die("--tcplisten", 0, addr, n, r);
	if (fd_new((int32_t)s, K_SOCKET, FT_STREAM) < 0)
		die("too many listening sockets", 0, 0, 0, 0);
}
