// Vectorized loops for TestBuildSIMDRuns (driver/simd_test.go): clang turns them into
// v128 code (i32x4.add and mul, extends, narrows, shuffles, i64x2.mul and shr_s, trunc_sat,
// lane loads and stores). Built with:
//
//	clang-19 --target=wasm32 -O3 -msimd128 -nostdlib -Wl,--no-entry -o loops.wasm loops.c
//
// The same file built for the host prints the expected results: clang-19 -O1 -o loops loops.c

#define N 1000
static int a[N], b[N];
static unsigned char c[N], d[N];
static float f[N], g[N];
static long long q[N];
static short s16[N];

#ifdef __wasm__
#define EXPORT(n) __attribute__((export_name(n)))
#else
#define EXPORT(n)
#endif

EXPORT("run") long long run(int seed) {
  for (int i = 0; i < N; i++) {
    a[i] = i * seed - 5000;
    b[i] = (i ^ seed) & 1023;
    c[i] = (unsigned char)(i * 7 + seed);
    d[i] = (unsigned char)(i * 13);
    f[i] = (float)(i - 500) * 0.25f + (float)seed;
    g[i] = (float)((i * seed) % 97) - 48.0f;
    q[i] = (long long)i * seed * 1000003LL;
    s16[i] = (short)(i * seed);
  }
  long long h = 0;
  int dot = 0;
  for (int i = 0; i < N; i++) dot += a[i] * b[i];
  h = h * 31 + dot;
  for (int i = 0; i < N; i++) { int x = c[i] + d[i]; c[i] = x > 255 ? 255 : x; }
  unsigned sum8 = 0;
  for (int i = 0; i < N; i++) sum8 += c[i];
  h = h * 31 + sum8;
  float fs = 0;
  for (int i = 0; i < N; i++) { f[i] = f[i] * g[i] + 1.5f; }
  float mx = -1e30f, mn = 1e30f;
  for (int i = 0; i < N; i++) { mx = f[i] > mx ? f[i] : mx; mn = f[i] < mn ? f[i] : mn; }
  for (int i = 0; i < N; i++) a[i] = (int)f[i];
  int isum = 0;
  for (int i = 0; i < N; i++) isum += a[i];
  h = h * 31 + isum + (long long)mx + (long long)mn;
  long long qs = 0;
  for (int i = 0; i < N; i++) qs += q[i] * 3 ^ (q[i] >> 3);
  h = h * 31 + qs;
  int smax = -32768;
  for (int i = 0; i < N; i++) smax = s16[i] > smax ? s16[i] : smax;
  h = h * 31 + smax;
  int cnt = 0;
  for (int i = 0; i < N; i++) cnt += (a[i] > b[i]);
  h = h * 31 + cnt;
  return h;
}

#ifndef __wasm__
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) { printf("%lld\n", run(atoi(argv[1]))); return 0; }
#endif
