// Loops that clang vectorizes at -O3 -msimd128: integer and float arithmetic, reductions,
// byte maps, conversions, min/max and saturation, over arrays long enough to run the vector
// body and the scalar tail. It prints one line per loop; the golden is what the same C
// prints built for the host without SIMD (build.sh), since the results are exact.
#include <stdint.h>
#include <stdio.h>

#define N 1003

static int32_t a[N], b[N], c[N];
static uint8_t p[N], q[N];
static int16_t s[N];
static float x[N], y[N];
static double d[N];
static int64_t w[N];

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }

int main(void) {
	uint64_t h = 0xcbf29ce484222325ULL;
	for (int i = 0; i < N; i++) {
		a[i] = i * 2654435761u;
		b[i] = (i * 40503) ^ 0x5bd1e995;
		p[i] = (uint8_t)(i * 37 + 11);
		q[i] = (uint8_t)(i * 91);
		s[i] = (int16_t)(i * 331 - 20000);
		x[i] = (float)i * 0.5f - 100.0f;
		y[i] = (float)(i % 17) * 1.25f;
		d[i] = (double)i * 0.125;
		w[i] = (int64_t)i * 1000003;
	}
	for (int i = 0; i < N; i++) c[i] = a[i] * 3 + b[i];
	for (int i = 0; i < N; i++) h = mix(h, (uint32_t)c[i]);
	printf("int mul-add: %016llx\n", (unsigned long long)h);

	int64_t sum = 0;
	for (int i = 0; i < N; i++) sum += (int64_t)a[i] * b[i];
	printf("dot i64: %lld\n", (long long)sum);

	for (int i = 0; i < N; i++) p[i] = (uint8_t)((p[i] + q[i] + 1) >> 1);
	uint32_t bs = 0;
	for (int i = 0; i < N; i++) bs = bs * 31 + p[i];
	printf("byte avg: %u\n", bs);

	for (int i = 0; i < N; i++) {
		int v = p[i] + q[i];
		q[i] = v > 255 ? 255 : (uint8_t)v;
	}
	bs = 0;
	for (int i = 0; i < N; i++) bs = bs * 31 + q[i];
	printf("byte add sat: %u\n", bs);

	for (int i = 0; i < N; i++) x[i] = x[i] * y[i] + 2.0f;
	float fs = 0;
	for (int i = 0; i < N; i++) fs += x[i] > 0 ? x[i] : -x[i];
	printf("float fma-free: %.3f\n", fs);

	for (int i = 0; i < N; i++) a[i] = a[i] < b[i] ? a[i] : b[i];
	h = 0;
	for (int i = 0; i < N; i++) h = mix(h, (uint32_t)a[i]);
	printf("int min: %016llx\n", (unsigned long long)h);

	int32_t ss = 0;
	for (int i = 0; i < N; i++) ss += s[i];
	printf("short sum: %d\n", ss);

	for (int i = 0; i < N; i++) c[i] = (int32_t)x[i];
	h = 0;
	for (int i = 0; i < N; i++) h = mix(h, (uint32_t)c[i]);
	printf("float to int: %016llx\n", (unsigned long long)h);

	double ds = 0;
	for (int i = 0; i < N; i++) d[i] = d[i] * d[i] - 3.0;
	for (int i = 0; i < N; i++) ds += d[i];
	printf("double: %.6f\n", ds);

	for (int i = 0; i < N; i++) w[i] = (w[i] >> 3) + w[i] * 7;
	h = 0;
	for (int i = 0; i < N; i++) h = mix(h, (uint64_t)w[i]);
	printf("i64 shift-mul: %016llx\n", (unsigned long long)h);
	return 0;
}
