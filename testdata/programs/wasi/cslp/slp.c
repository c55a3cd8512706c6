// Loops clang unrolls but, without -msimd128, does not vectorize: their copies sit side
// by side for wasmc's SLP pass to pack. Every function takes pointers that may alias,
// and main calls each with streams apart, equal and overlapping by part of a vector
// either way, so the vector loop and the scalar loop wasmc keeps for aliasing both run.
// The arithmetic is exact, so the output is the same for any evaluation order; the
// golden, recorded with Wasmtime, is also what the host's gcc build prints.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 512

static double D[3 * N];
static float F[3 * N];
static int32_t I[3 * N];
static int64_t L[3 * N];

__attribute__((noinline)) void daxpy(double *dst, const double *src, double a) {
	for (int j = 0; j < N; j++) dst[j] += a * src[j];
}
__attribute__((noinline)) void fsub(float *dst, const float *x, const float *y) {
	for (int j = 0; j < N; j++) dst[j] = x[j] - y[j] * 0.5f;
}
__attribute__((noinline)) void iaxb(int32_t *dst, const int32_t *x, const int32_t *y, int32_t k) {
	for (int j = 0; j < N; j++) dst[j] = x[j] * k + (y[j] ^ 0x55);
}
__attribute__((noinline)) void ladd(int64_t *dst, const int64_t *x) {
	for (int j = 0; j < N; j++) dst[j] = (dst[j] + x[j]) & 0xffffffffffffLL;
}

static uint64_t h;
static void mix(const void *p, size_t n) {
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
}

static void reset(void) {
	for (int i = 0; i < 3 * N; i++) {
		D[i] = (double)(i % 97 - 48) * 0.25;
		F[i] = (float)(i % 53 - 26) * 0.5f;
		I[i] = i * 2654435761u;
		L[i] = (int64_t)i * 1000003;
	}
}

int main(void) {
	static const int shifts[] = {-N, -3, -2, -1, 0, 1, 2, 3, N};
	for (int r = 0; r < 2; r++) {
		for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
			int s = shifts[k];
			reset();
			h = 0xcbf29ce484222325ULL;
			daxpy(D + N, D + N + s, 1.5);
			mix(D, sizeof D);
			fsub(F + N, F + N + s, F + N - s);
			mix(F, sizeof F);
			iaxb(I + N, I + N + s, I + N + 2 * s / 3, 7 + r);
			mix(I, sizeof I);
			ladd(L + N, L + N + s);
			mix(L, sizeof L);
			printf("shift %d: %016llx\n", s, (unsigned long long)h);
		}
	}
	return 0;
}
