// hello is the first program wasmc's darwin/amd64 executables run (issue 18): it prints
// a greeting, its arguments, one variable of its environment and whether the clocks and
// random bytes work, then exits with the status its last argument names, if it is a
// number. With the one argument "epipe" it instead writes to its stdout, which the test
// has made a pipe without a reader, and prints the errno it gets on stderr: a failed
// libSystem call's errno, and SIGPIPE ignored. cmd/wasmc's TestDarwinHello runs it
// through internal/machorun's loader.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

int main(int argc, char **argv) {
	if (argc == 2 && strcmp(argv[1], "epipe") == 0) {
		__wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
		__wasi_size_t n;
		__wasi_errno_t e = __wasi_fd_write(1, &iov, 1, &n);
		fprintf(stderr, "fd_write: errno %d\n", e);
		return 0;
	}
	printf("hello from wasm\n");
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	const char *g = getenv("GREETING");
	printf("GREETING=%s\n", g ? g : "(unset)");
	struct timespec a, b;
	int ok = clock_gettime(CLOCK_MONOTONIC, &a) == 0 && clock_gettime(CLOCK_MONOTONIC, &b) == 0 &&
		 (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
	printf("monotonic: %s\n", ok ? "ok" : "broken");
	struct timespec r;
	printf("realtime: %s\n", clock_gettime(CLOCK_REALTIME, &r) == 0 && r.tv_sec > 1600000000 ? "ok" : "broken");
	unsigned char buf[600];
	memset(buf, 0, sizeof buf);
	int nonzero = getentropy(buf, 256) == 0 && getentropy(buf + 256, 256) == 0;
	int any = 0;
	for (int i = 0; i < 512; i++)
		any |= buf[i];
	printf("entropy: %s\n", nonzero && any ? "ok" : "broken");
	fflush(stdout);
	fprintf(stderr, "to stderr\n");
	if (argc > 1) {
		char *end;
		long n = strtol(argv[argc - 1], &end, 10);
		if (*end == 0)
			return (int)n;
	}
	return 0;
}
