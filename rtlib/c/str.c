// str.c: the few libc routines clang may emit calls to even in freestanding code (struct
// copies, loops it recognizes as memset or memcpy), and number formatting. There is no
// libc in the runtime (DESIGN.md decision 6), so these are all it has.
#include "wasmc.h"

// The loops below must stay loops: without this clang would turn them back into calls to
// the very functions they define.
#define NOBUILTIN __attribute__((no_builtin))

NOBUILTIN void *memset(void *dst, int c, size_t n) {
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

NOBUILTIN void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

NOBUILTIN void *memmove(void *dst, const void *src, size_t n) {
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

NOBUILTIN int memcmp(const void *a, const void *b, size_t n) {
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

NOBUILTIN size_t strlen(const char *s) {
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t wasmc_utoa(char *dst, uint64_t v, unsigned base) {
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (size_t i = 0; i < n; i++)
		dst[i] = tmp[n - 1 - i];
	return n;
}
