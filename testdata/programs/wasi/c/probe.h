// wasi/c/probe.h: output for the probe programs (main.c, oob.c): lines written with
// fd_write directly, and WASI errno names. Include after wasiraw.h.
#ifndef PROBE_H
#define PROBE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

// ---------------------------------------------------------------- output --

static void out(const char *s, size_t n) {
	while (n > 0) {
		__wasi_ciovec_t iov = {(const uint8_t *)s, n};
		uint32_t nw = 0;
		if (r_fd_write(1, P(&iov), 1, P(&nw)) != 0 || nw == 0) return;
		s += nw;
		n -= nw;
	}
}

static void say(const char *fmt, ...) {
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0) n = 0;
	if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
	buf[n++] = '\n';
	out(buf, n);
}

static const char *const errname[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT",
    "AGAIN", "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD",
    "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM",
    "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ",
    "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE",
    "MLINK", "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET",
    "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK",
    "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN",
    "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

static const char *ename(int e) {
	if (e >= 0 && e < (int)(sizeof errname / sizeof errname[0])) return errname[e];
	return "?";
}

// find_sandbox returns the descriptor of the /sandbox preopen, found by name the way
// wasi-libc finds preopens (3 if there is none).
static uint32_t find_sandbox(void) {
	for (uint32_t fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;
		if (r_fd_prestat_get(fd, P(&ps)) != 0) break;
		char name[64];
		if (ps.u.dir.pr_name_len < sizeof name && r_fd_prestat_dir_name(fd, P(name), ps.u.dir.pr_name_len) == 0 &&
		    ps.u.dir.pr_name_len == 8 && memcmp(name, "/sandbox", 8) == 0)
			return fd;
	}
	return 3;
}

#endif
