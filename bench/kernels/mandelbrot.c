// mandelbrot renders the Mandelbrot set on a W×H grid with an escape-time
// loop. It exercises float64 multiply/add, compares and a loop whose trip count
// depends on the data.
#include <stdio.h>

#define W 1600
#define H 1600
#define MAXITER 300

int main(void) {
	unsigned long long total = 0;
	unsigned hash = 2166136261u; // FNV-1a over the iteration counts
	for (int py = 0; py < H; py++) {
		double ci = -1.25 + 2.5 * py / H;
		for (int px = 0; px < W; px++) {
			double cr = -2.0 + 2.5 * px / W;
			double zr = 0, zi = 0;
			int n = 0;
			while (n < MAXITER) {
				double zr2 = zr * zr, zi2 = zi * zi;
				if (zr2 + zi2 > 4.0)
					break;
				zi = 2 * zr * zi + ci;
				zr = zr2 - zi2 + cr;
				n++;
			}
			total += n;
			hash = (hash ^ (unsigned)n) * 16777619u;
		}
	}
	printf("mandelbrot %llu %08x\n", total, hash);
	return 0;
}
