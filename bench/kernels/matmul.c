// matmul multiplies two dense N×N float64 matrices with the i-k-j loop order,
// a few times. It exercises f64 multiply-add in a streaming inner loop and
// address arithmetic over row-major arrays.
#include <stdio.h>
#include <stdlib.h>

#define N 400
#define REPS 32

static double *alloc(void) {
	double *m = malloc(sizeof(double) * N * N);
	if (!m) {
		fprintf(stderr, "matmul: out of memory\n");
		exit(1);
	}
	return m;
}

int main(void) {
	double *a = alloc(), *b = alloc(), *c = alloc();
	// Small integers scaled by a power of two: every product and sum below
	// is exact, so the checksum cannot depend on evaluation order or FMA.
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i * N + j] = ((i * 7 + j * 3 + i * j) % 17 - 8) * 0.25;
			b[i * N + j] = ((i * 5 + j * 11 + i * j * 3) % 13 - 5) * 0.5;
		}
	double sum = 0;
	for (int rep = 0; rep < REPS; rep++) {
		for (int i = 0; i < N * N; i++)
			c[i] = 0;
		for (int i = 0; i < N; i++)
			for (int k = 0; k < N; k++) {
				double aik = a[i * N + k];
				for (int j = 0; j < N; j++)
					c[i * N + j] += aik * b[k * N + j];
			}
		for (int i = 0; i < N * N; i++)
			sum += c[i] * (double)((i % 5) + 1);
		// Feed the result back so each repetition depends on the last.
		a[rep] += 1;
	}
	printf("matmul %.3f %.3f\n", sum, c[N * N / 2 + 7]);
	free(a);
	free(b);
	free(c);
	return 0;
}
