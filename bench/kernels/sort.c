// sort fills an array with pseudo-random keys and sorts it with a hand-written
// quicksort (median of three, insertion sort for short runs), then runs a
// sieve of Eratosthenes. It exercises memory traffic, recursion and
// unpredictable branches on integers.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NKEYS (4 << 20)
#define SIEVE (32 << 20)

static void insertion(uint32_t *a, long n) {
	for (long i = 1; i < n; i++) {
		uint32_t v = a[i];
		long j = i - 1;
		for (; j >= 0 && a[j] > v; j--)
			a[j + 1] = a[j];
		a[j + 1] = v;
	}
}

static void swap(uint32_t *a, long i, long j) {
	uint32_t t = a[i];
	a[i] = a[j];
	a[j] = t;
}

static void quicksort(uint32_t *a, long n) {
	while (n > 16) {
		long m = n / 2;
		if (a[m] < a[0])
			swap(a, m, 0);
		if (a[n - 1] < a[0])
			swap(a, n - 1, 0);
		if (a[n - 1] < a[m])
			swap(a, n - 1, m);
		uint32_t p = a[m];
		long i = 0, j = n - 1;
		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			swap(a, i, j);
			i++;
			j--;
		}
		// Recurse into the smaller half and loop on the larger, so the
		// depth stays O(log n) and fits the wasm shadow stack.
		long left = j + 1;
		if (left < n - left) {
			quicksort(a, left);
			a += left;
			n -= left;
		} else {
			quicksort(a + left, n - left);
			n = left;
		}
	}
	insertion(a, n);
}

static void *xmalloc(size_t n) {
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "sort: out of memory\n");
		exit(1);
	}
	return p;
}

int main(void) {
	uint32_t *a = xmalloc(sizeof(uint32_t) * NKEYS);
	uint64_t x = 88172645463325252ull; // xorshift64
	for (long i = 0; i < NKEYS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		a[i] = (uint32_t)(x >> 32);
	}
	quicksort(a, NKEYS);
	uint64_t h = 0;
	for (long i = 0; i < NKEYS; i++) {
		if (i > 0 && a[i - 1] > a[i]) {
			printf("sort: not sorted at %ld\n", i);
			return 1;
		}
		h = h * 31 + a[i];
	}
	free(a);

	uint8_t *composite = xmalloc(SIEVE);
	for (long i = 0; i < SIEVE; i++)
		composite[i] = 0;
	long primes = 0;
	for (long i = 2; i < SIEVE; i++) {
		if (composite[i])
			continue;
		primes++;
		// 64-bit j: long is 32 bits on wasm32, and i*i overflows it.
		for (int64_t j = (int64_t)i * i; j < SIEVE; j += i)
			composite[j] = 1;
	}
	free(composite);
	printf("sort %016llx %ld\n", (unsigned long long)h, primes);
	return 0;
}
