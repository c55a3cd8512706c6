// fannkuch counts pancake flips over all permutations of 0..N-1 (the
// "fannkuch-redux" benchmark). It exercises small int arrays, tight loops with
// data-dependent trip counts and unpredictable branches.
#include <stdio.h>

#define N 10
#define REPS 3

// Global, not local, arrays: the stores make fannkuch impure, so no compiler
// may fold the REPS identical calls into one.
static int perm[N], perm1[N], count[N];

static void fannkuch(int n, int *checksum, int *maxflips) {
	int permcount = 0;
	*checksum = 0;
	*maxflips = 0;
	for (int i = 0; i < n; i++)
		perm1[i] = i;
	int r = n;
	for (;;) {
		for (; r != 1; r--)
			count[r - 1] = r;
		for (int i = 0; i < n; i++)
			perm[i] = perm1[i];
		int flips = 0;
		for (int k = perm[0]; k != 0; k = perm[0]) {
			for (int i = 0, j = k; i < j; i++, j--) {
				int t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			flips++;
		}
		if (flips > *maxflips)
			*maxflips = flips;
		*checksum += (permcount % 2 == 0) ? flips : -flips;
		// Next permutation in the reference program's order: rotate the
		// first r+1 elements, and move r up when that prefix is exhausted.
		for (;;) {
			if (r == n)
				return;
			int p0 = perm1[0];
			for (int i = 0; i < r; i++)
				perm1[i] = perm1[i + 1];
			perm1[r] = p0;
			if (--count[r] > 0)
				break;
			r++;
		}
		permcount++;
	}
}

int main(void) {
	int sum = 0, checksum = 0, maxflips = 0;
	for (int rep = 0; rep < REPS; rep++) {
		fannkuch(N, &checksum, &maxflips);
		sum += checksum;
	}
	printf("fannkuch %d %d %d\n", checksum, maxflips, sum);
	return 0;
}
