// The shim's socket functions: Darwin's sockaddr starts with sa_len and a one-byte family
// where Linux's has a two-byte family (the rest of sockaddr_in, sockaddr_in6 and
// sockaddr_un is laid out alike, sun_path 104 bytes on Darwin and 108 on Linux); AF_INET6,
// SOL_SOCKET, most SO_* options, MSG_* flags and struct msghdr differ.
//
// Left out: control messages (recvmsg and sendmsg with msg_controllen > 0 fail with EINVAL),
// and SO_NOSIGPIPE, which Linux lacks, is kept per descriptor and applied to sendto and
// sendmsg as MSG_NOSIGNAL, not to write.

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "shim_impl.h"

static int linux_family(int d) {
	switch (d) {
	case DARWIN_AF_UNSPEC:
		return AF_UNSPEC;
	case DARWIN_AF_UNIX:
		return AF_UNIX;
	case DARWIN_AF_INET:
		return AF_INET;
	case DARWIN_AF_INET6:
		return AF_INET6;
	}
	return -1;
}

static int darwin_family(int f) {
	switch (f) {
	case AF_UNIX:
		return DARWIN_AF_UNIX;
	case AF_INET:
		return DARWIN_AF_INET;
	case AF_INET6:
		return DARWIN_AF_INET6;
	}
	return DARWIN_AF_UNSPEC;
}

// Past the family, the sockaddrs of both systems are alike from byte 2.
_Static_assert(offsetof(struct darwin_RawSockaddrInet4, Port) == offsetof(struct sockaddr_in, sin_port), "in");
_Static_assert(offsetof(struct darwin_RawSockaddrInet6, Addr) == offsetof(struct sockaddr_in6, sin6_addr), "in6");
_Static_assert(offsetof(struct darwin_RawSockaddrInet6, Scope_id) == offsetof(struct sockaddr_in6, sin6_scope_id),
               "in6");
_Static_assert(offsetof(struct darwin_RawSockaddrUnix, Path) == offsetof(struct sockaddr_un, sun_path), "un");

// linux_addr converts the Darwin sockaddr d of n bytes into l, or returns -1 with the Darwin
// errno set.
static int linux_addr(const uint8_t *d, socklen_t n, struct sockaddr_storage *l) {
	if (n < 2 || n > sizeof *l)
		return (int)invalid(-1);
	int f = linux_family(d[1]);
	if (f < 0)
		return (int)fail_with(DARWIN_EAFNOSUPPORT, -1);
	memset(l, 0, sizeof *l);
	l->ss_family = (sa_family_t)f;
	memcpy((uint8_t *)l + 2, d + 2, n - 2);
	return 0;
}

// darwin_addr converts the Linux sockaddr l of n bytes into the Darwin buffer d of *dn
// bytes, truncating, and sets *dn to the Darwin address's whole length.
static void darwin_addr(const struct sockaddr_storage *l, socklen_t n, uint8_t *d, socklen_t *dn) {
	if (!d || !dn)
		return;
	uint8_t tmp[sizeof(struct sockaddr_storage)] = {0};
	socklen_t full = n;
	if (l->ss_family == AF_UNIX && full > sizeof(struct darwin_RawSockaddrUnix))
		full = sizeof(struct darwin_RawSockaddrUnix);
	if (full >= 2) {
		memcpy(tmp + 2, (const uint8_t *)l + 2, full - 2);
		tmp[0] = (uint8_t)full;
		tmp[1] = (uint8_t)darwin_family(l->ss_family);
	}
	memcpy(d, tmp, *dn < full ? *dn : full);
	*dn = full;
}

static int linux_socktype(int d) {
	switch (d) {
	case DARWIN_SOCK_STREAM:
		return SOCK_STREAM;
	case DARWIN_SOCK_DGRAM:
		return SOCK_DGRAM;
	case DARWIN_SOCK_RAW:
		return SOCK_RAW;
	case DARWIN_SOCK_SEQPACKET:
		return SOCK_SEQPACKET;
	}
	return -1;
}

static int darwin_socktype(int t) {
	switch (t) {
	case SOCK_STREAM:
		return DARWIN_SOCK_STREAM;
	case SOCK_DGRAM:
		return DARWIN_SOCK_DGRAM;
	case SOCK_RAW:
		return DARWIN_SOCK_RAW;
	}
	return DARWIN_SOCK_SEQPACKET;
}

// The descriptors with SO_NOSIGPIPE set.
static uint64_t nosigpipe[1024 / 64];

static bool is_nosigpipe(int fd) { return fd >= 0 && fd < 1024 && nosigpipe[fd / 64] >> (fd % 64) & 1; }

// set_nosigpipe records SO_NOSIGPIPE for a descriptor: set by setsockopt, cleared for a new
// socket (the bit may be left from a closed one), and inherited from the listener by an
// accepted socket, as BSD's sonewconn copies the option.
static void set_nosigpipe(int fd, bool on) {
	if (fd < 0 || fd >= 1024)
		return;
	if (on)
		nosigpipe[fd / 64] |= (uint64_t)1 << fd % 64;
	else
		nosigpipe[fd / 64] &= ~((uint64_t)1 << fd % 64);
}

static int shim_socket(int dfamily, int dtype, int proto) {
	int f = linux_family(dfamily), t = linux_socktype(dtype);
	if (f < 0)
		return (int)fail_with(DARWIN_EAFNOSUPPORT, -1);
	if (t < 0)
		return (int)fail_with(DARWIN_EPROTOTYPE, -1);
	// The protocol numbers are IANA's on both (IPPROTO_TCP 6, IPPROTO_UDP 17).
	int fd = socket(f, t, proto);
	if (fd < 0)
		return (int)fail(-1);
	set_nosigpipe(fd, false);
	return fd;
}

static int shim_bind(int fd, const uint8_t *addr, socklen_t n) {
	struct sockaddr_storage l;
	if (linux_addr(addr, n, &l) < 0)
		return -1;
	return bind(fd, (struct sockaddr *)&l, n) < 0 ? (int)fail(-1) : 0;
}

static int shim_connect(int fd, const uint8_t *addr, socklen_t n) {
	struct sockaddr_storage l;
	if (linux_addr(addr, n, &l) < 0)
		return -1;
	return connect(fd, (struct sockaddr *)&l, n) < 0 ? (int)fail(-1) : 0;
}

static int shim_listen(int fd, int backlog) { return listen(fd, backlog) < 0 ? (int)fail(-1) : 0; }

static int shim_accept(int fd, uint8_t *addr, socklen_t *n) {
	struct sockaddr_storage l;
	socklen_t ln = sizeof l;
	int r = accept(fd, (struct sockaddr *)&l, &ln);
	if (r < 0)
		return (int)fail(-1);
	set_nosigpipe(r, is_nosigpipe(fd));
	darwin_addr(&l, ln, addr, n);
	return r;
}

static int shim_getsockname(int fd, uint8_t *addr, socklen_t *n) {
	struct sockaddr_storage l;
	socklen_t ln = sizeof l;
	if (getsockname(fd, (struct sockaddr *)&l, &ln) < 0)
		return (int)fail(-1);
	darwin_addr(&l, ln, addr, n);
	return 0;
}

static int shim_getpeername(int fd, uint8_t *addr, socklen_t *n) {
	struct sockaddr_storage l;
	socklen_t ln = sizeof l;
	if (getpeername(fd, (struct sockaddr *)&l, &ln) < 0)
		return (int)fail(-1);
	darwin_addr(&l, ln, addr, n);
	return 0;
}

static int shim_shutdown(int fd, int dhow) {
	int how = dhow == DARWIN_SHUT_RD ? SHUT_RD : dhow == DARWIN_SHUT_WR ? SHUT_WR : dhow == DARWIN_SHUT_RDWR ? SHUT_RDWR : -1;
	if (how < 0)
		return (int)invalid(-1);
	return shutdown(fd, how) < 0 ? (int)fail(-1) : 0;
}

// How an option's value is translated.
enum optkind { OPT_INT, OPT_LINGER, OPT_TIMEVAL, OPT_ERROR, OPT_TYPE, OPT_NOSIGPIPE };

static const struct sockopt {
	int dlevel, dname, level, name;
	enum optkind kind;
} sockopts[] = {
    {DARWIN_SOL_SOCKET, DARWIN_SO_ACCEPTCONN, SOL_SOCKET, SO_ACCEPTCONN, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_BROADCAST, SOL_SOCKET, SO_BROADCAST, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_DONTROUTE, SOL_SOCKET, SO_DONTROUTE, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_ERROR, SOL_SOCKET, SO_ERROR, OPT_ERROR},
    {DARWIN_SOL_SOCKET, DARWIN_SO_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_LINGER, SOL_SOCKET, SO_LINGER, OPT_LINGER},
    {DARWIN_SOL_SOCKET, DARWIN_SO_NOSIGPIPE, SOL_SOCKET, 0, OPT_NOSIGPIPE},
    {DARWIN_SOL_SOCKET, DARWIN_SO_OOBINLINE, SOL_SOCKET, SO_OOBINLINE, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_RCVBUF, SOL_SOCKET, SO_RCVBUF, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_RCVLOWAT, SOL_SOCKET, SO_RCVLOWAT, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_RCVTIMEO, SOL_SOCKET, SO_RCVTIMEO, OPT_TIMEVAL},
    {DARWIN_SOL_SOCKET, DARWIN_SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_REUSEPORT, SOL_SOCKET, SO_REUSEPORT, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_SNDBUF, SOL_SOCKET, SO_SNDBUF, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_SNDLOWAT, SOL_SOCKET, SO_SNDLOWAT, OPT_INT},
    {DARWIN_SOL_SOCKET, DARWIN_SO_SNDTIMEO, SOL_SOCKET, SO_SNDTIMEO, OPT_TIMEVAL},
    {DARWIN_SOL_SOCKET, DARWIN_SO_TYPE, SOL_SOCKET, SO_TYPE, OPT_TYPE},
    {DARWIN_IPPROTO_TCP, DARWIN_TCP_NODELAY, IPPROTO_TCP, TCP_NODELAY, OPT_INT},
    {DARWIN_IPPROTO_IPV6, DARWIN_IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, OPT_INT},
};

static const struct sockopt *find_sockopt(int dlevel, int dname) {
	for (size_t i = 0; i < N(sockopts); i++)
		if (sockopts[i].dlevel == dlevel && sockopts[i].dname == dname)
			return &sockopts[i];
	return 0;
}

// struct linger is {int onoff; int linger} on both.
_Static_assert(sizeof(struct darwin_Linger) == sizeof(struct linger), "linger");

static int shim_setsockopt(int fd, int dlevel, int dname, const void *v, socklen_t n) {
	const struct sockopt *o = find_sockopt(dlevel, dname);
	if (!o)
		return (int)fail_with(DARWIN_ENOPROTOOPT, -1);
	switch (o->kind) {
	case OPT_NOSIGPIPE:
		if (n != sizeof(int) || fd < 0 || fd >= 1024)
			return (int)invalid(-1);
		set_nosigpipe(fd, *(const int *)v != 0);
		return 0;
	case OPT_TIMEVAL: {
		if (n != sizeof(struct darwin_Timeval))
			return (int)invalid(-1);
		const struct darwin_Timeval *d = v;
		struct timeval tv = {.tv_sec = d->Sec, .tv_usec = d->Usec};
		return setsockopt(fd, o->level, o->name, &tv, sizeof tv) < 0 ? (int)fail(-1) : 0;
	}
	case OPT_ERROR:
	case OPT_TYPE:
		return (int)fail_with(DARWIN_ENOPROTOOPT, -1);
	default:
		return setsockopt(fd, o->level, o->name, v, n) < 0 ? (int)fail(-1) : 0;
	}
}

static int shim_getsockopt(int fd, int dlevel, int dname, void *v, socklen_t *n) {
	const struct sockopt *o = find_sockopt(dlevel, dname);
	if (!o)
		return (int)fail_with(DARWIN_ENOPROTOOPT, -1);
	if (o->kind == OPT_TIMEVAL) {
		struct timeval tv;
		socklen_t ln = sizeof tv;
		if (*n < sizeof(struct darwin_Timeval))
			return (int)invalid(-1);
		if (getsockopt(fd, o->level, o->name, &tv, &ln) < 0)
			return (int)fail(-1);
		*(struct darwin_Timeval *)v = (struct darwin_Timeval){.Sec = tv.tv_sec, .Usec = (int32_t)tv.tv_usec};
		*n = sizeof(struct darwin_Timeval);
		return 0;
	}
	if (o->kind != OPT_LINGER && *n < sizeof(int))
		return (int)invalid(-1);
	if (o->kind == OPT_NOSIGPIPE) {
		*(int *)v = is_nosigpipe(fd);
		*n = sizeof(int);
		return 0;
	}
	if (getsockopt(fd, o->level, o->name, v, n) < 0)
		return (int)fail(-1);
	if (o->kind == OPT_ERROR && *(int *)v)
		*(int *)v = to_darwin_errno(*(int *)v);
	if (o->kind == OPT_TYPE)
		*(int *)v = darwin_socktype(*(int *)v);
	return 0;
}

static const struct flag msg_flags[] = {
    {DARWIN_MSG_OOB, MSG_OOB},         {DARWIN_MSG_PEEK, MSG_PEEK},         {DARWIN_MSG_DONTROUTE, MSG_DONTROUTE},
    {DARWIN_MSG_EOR, MSG_EOR},         {DARWIN_MSG_TRUNC, MSG_TRUNC},       {DARWIN_MSG_CTRUNC, MSG_CTRUNC},
    {DARWIN_MSG_WAITALL, MSG_WAITALL}, {DARWIN_MSG_DONTWAIT, MSG_DONTWAIT}, {DARWIN_MSG_NOSIGNAL, MSG_NOSIGNAL},
};

// send_flags translates a send's flags, adding MSG_NOSIGNAL for SO_NOSIGPIPE.
static int send_flags(int fd, int dflags) {
	int f = to_linux(dflags, msg_flags, N(msg_flags));
	return f < 0 ? -1 : f | (is_nosigpipe(fd) ? MSG_NOSIGNAL : 0);
}

static ssize_t shim_sendto(int fd, const void *buf, size_t len, int dflags, const uint8_t *addr, socklen_t n) {
	int f = send_flags(fd, dflags);
	if (f < 0)
		return invalid(-1);
	struct sockaddr_storage l;
	if (addr && linux_addr(addr, n, &l) < 0)
		return -1;
	ssize_t r = sendto(fd, buf, len, f, addr ? (struct sockaddr *)&l : 0, addr ? n : 0);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_recvfrom(int fd, void *buf, size_t len, int dflags, uint8_t *addr, socklen_t *n) {
	int f = to_linux(dflags, msg_flags, N(msg_flags));
	if (f < 0)
		return invalid(-1);
	struct sockaddr_storage l;
	socklen_t ln = sizeof l;
	memset(&l, 0, sizeof l);
	ssize_t r = recvfrom(fd, buf, len, f, (struct sockaddr *)&l, &ln);
	if (r < 0)
		return fail(-1);
	if (addr && n)
		darwin_addr(&l, ln, addr, n);
	return r;
}

static ssize_t shim_sendmsg(int fd, const struct darwin_Msghdr *d, int dflags) {
	int f = send_flags(fd, dflags);
	if (f < 0 || d->Controllen)
		return invalid(-1);
	struct sockaddr_storage l;
	if (d->Name && linux_addr((const uint8_t *)(uintptr_t)d->Name, d->Namelen, &l) < 0)
		return -1;
	struct msghdr m = {
	    .msg_name = d->Name ? &l : 0,
	    .msg_namelen = d->Name ? d->Namelen : 0,
	    .msg_iov = (struct iovec *)(uintptr_t)d->Iov,
	    .msg_iovlen = (size_t)d->Iovlen,
	};
	ssize_t r = sendmsg(fd, &m, f);
	return r < 0 ? fail(-1) : r;
}

static ssize_t shim_recvmsg(int fd, struct darwin_Msghdr *d, int dflags) {
	int f = to_linux(dflags, msg_flags, N(msg_flags));
	if (f < 0 || d->Controllen)
		return invalid(-1);
	struct sockaddr_storage l;
	memset(&l, 0, sizeof l);
	struct msghdr m = {
	    .msg_name = d->Name ? &l : 0,
	    .msg_namelen = d->Name ? sizeof l : 0,
	    .msg_iov = (struct iovec *)(uintptr_t)d->Iov,
	    .msg_iovlen = (size_t)d->Iovlen,
	};
	ssize_t r = recvmsg(fd, &m, f);
	if (r < 0)
		return fail(-1);
	if (d->Name) {
		socklen_t dn = d->Namelen;
		darwin_addr(&l, m.msg_namelen, (uint8_t *)(uintptr_t)d->Name, &dn);
		d->Namelen = dn;
	}
	d->Flags = to_darwin(m.msg_flags, msg_flags, N(msg_flags));
	return r;
}

const struct shim_symbol shim_net_symbols[] = {
    {"_socket", (void *)shim_socket},
    {"_bind", (void *)shim_bind},
    {"_listen", (void *)shim_listen},
    {"_accept", (void *)shim_accept},
    {"_connect", (void *)shim_connect},
    {"_setsockopt", (void *)shim_setsockopt},
    {"_getsockopt", (void *)shim_getsockopt},
    {"_getsockname", (void *)shim_getsockname},
    {"_getpeername", (void *)shim_getpeername},
    {"_shutdown", (void *)shim_shutdown},
    {"_recvfrom", (void *)shim_recvfrom},
    {"_sendto", (void *)shim_sendto},
    {"_recvmsg", (void *)shim_recvmsg},
    {"_sendmsg", (void *)shim_sendmsg},
    {0, 0},
};
