// hello is the smallest useful WASI command: the harness times its start-up
// (exec to exit) and compares executable sizes, not its work.
#include <stdio.h>

int main(void) {
	printf("hello, world\n");
	return 0;
}
