// echo serves one client on the listening socket wasmc preopens as descriptor 3
// (--tcplisten): it accepts a connection, sends back every byte it receives until the
// client shuts its side down, then shuts down its own and exits 0. Any WASI error is
// printed with its errno and exits 1.
#include <stdio.h>
#include <wasi/api.h>

static int check(const char *what, __wasi_errno_t e) {
	if (e != 0) {
		printf("%s: errno %d\n", what, e);
		return 1;
	}
	return 0;
}

int main(void) {
	__wasi_fd_t conn;
	if (check("sock_accept", __wasi_sock_accept(3, 0, &conn)))
		return 1;
	char buf[4096];
	unsigned long total = 0;
	for (;;) {
		__wasi_iovec_t in = {(uint8_t *)buf, sizeof buf};
		__wasi_size_t n;
		__wasi_roflags_t flags;
		if (check("sock_recv", __wasi_sock_recv(conn, &in, 1, 0, &n, &flags)))
			return 1;
		if (n == 0)
			break;
		for (__wasi_size_t off = 0; off < n;) {
			__wasi_ciovec_t out = {(const uint8_t *)buf + off, n - off};
			__wasi_size_t sent;
			if (check("sock_send", __wasi_sock_send(conn, &out, 1, 0, &sent)))
				return 1;
			off += sent;
		}
		total += n;
	}
	if (check("sock_shutdown", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR)))
		return 1;
	printf("echoed %lu bytes\n", total);
	return 0;
}
