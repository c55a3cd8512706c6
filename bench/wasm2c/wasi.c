/*
 * wasi.c: main and the WASI preview1 imports for a benchmark kernel that
 * wasm2c translated to C (bench/wasm2c.go builds it with `wasm2c -n kernel`
 * and compiles the result, wabt's runtime and this file into one executable).
 *
 * Only what the kernels in bench/kernels import is here, and only as far as
 * they use it: writing to stdout and stderr, exiting, and the stdio probes
 * wasi-libc makes (fd_fdstat_get, fd_seek, fd_close). A kernel that imports
 * anything else fails to link, naming the missing import, rather than run
 * against a stub that would change what it prints. Little-endian hosts only,
 * like the rest of the benchmark.
 *
 * wabt renamed everything wasm2c generates in 1.0.33 (Z_kernel... became
 * w2c_kernel... and wasm2c_kernel_...), so the names go through macros.
 * WASM_RT_MEMCHECK_SIGNAL_HANDLER tells the two apart: wasm-rt.h up to
 * 1.0.32 always defines it, later ones never do (they only translate it, with
 * a deprecation warning, when the build passes it, which the bench does not).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "kernel.h"
#include "wasm-rt-impl.h"

#ifdef WASM_RT_MEMCHECK_SIGNAL_HANDLER
#define WASI_INSTANCE struct Z_wasi_snapshot_preview1_instance_t
#define WASI(name) Z_wasi_snapshot_preview1Z_##name
#define KERNEL Z_kernel_instance_t
#define KERNEL_INIT() Z_kernel_init_module()
#define KERNEL_INSTANTIATE Z_kernel_instantiate
#define KERNEL_FREE Z_kernel_free
#define KERNEL_MEMORY Z_kernelZ_memory
#define KERNEL_START Z_kernelZ__start
#else
#include "wasm-rt-exceptions.h" /* wasm_rt_impl_try's unwind target */
#define WASI_INSTANCE struct w2c_wasi__snapshot__preview1
#define WASI(name) w2c_wasi__snapshot__preview1_##name
#define KERNEL w2c_kernel
#define KERNEL_INIT() ((void)0)
#define KERNEL_INSTANTIATE wasm2c_kernel_instantiate
#define KERNEL_FREE wasm2c_kernel_free
#define KERNEL_MEMORY w2c_kernel_memory
#define KERNEL_START w2c_kernel_0x5Fstart
#endif

/* WASI preview1 values, from wasi-libc's wasi/api.h. */
enum {
  ERRNO_SUCCESS = 0,
  ERRNO_AGAIN = 6,
  ERRNO_BADF = 8,
  ERRNO_FAULT = 21,
  ERRNO_INTR = 27,
  ERRNO_IO = 29,
  ERRNO_PIPE = 64,
  ERRNO_SPIPE = 70,
};
enum {
  FILETYPE_UNKNOWN = 0,
  FILETYPE_CHARACTER_DEVICE = 2,
  FILETYPE_REGULAR_FILE = 4,
};
#define RIGHTS_FD_READ (1ull << 1)
#define RIGHTS_FD_SEEK (1ull << 2)
#define RIGHTS_FD_TELL (1ull << 5)
#define RIGHTS_FD_WRITE (1ull << 6)

/* The import instance wasm2c passes to every import: the kernel's memory,
 * whose data pointer is read on every call since memory.grow may move it. */
WASI_INSTANCE {
  wasm_rt_memory_t* mem;
};

/* in says whether [addr, addr+n) lies inside memory; the kernel passes
 * pointers the host must not trust any more than a real WASI host would. */
static int in(WASI_INSTANCE* w, uint64_t addr, uint64_t n) {
  return addr + n <= w->mem->size;
}

static uint32_t load32(WASI_INSTANCE* w, uint32_t addr) {
  uint32_t v;
  memcpy(&v, w->mem->data + addr, sizeof v);
  return v;
}

static void store32(WASI_INSTANCE* w, uint32_t addr, uint32_t v) {
  memcpy(w->mem->data + addr, &v, sizeof v);
}

static uint32_t wasi_errno(int e) {
  switch (e) {
    case EAGAIN:
      return ERRNO_AGAIN;
    case EBADF:
      return ERRNO_BADF;
    case EINTR:
      return ERRNO_INTR;
    case EPIPE:
      return ERRNO_PIPE;
  }
  return ERRNO_IO;
}

/* stdio says whether fd is one the kernel may use: only 0, 1 and 2 exist. */
static int stdio(uint32_t fd) {
  return fd <= 2;
}

/* fd_write passes the iovecs to one writev, as many as fit, so a short
 * write is reported as WASI allows and wasi-libc retries the rest. */
u32 WASI(fd_write)(WASI_INSTANCE* w, u32 fd, u32 iovs, u32 n, u32 nwritten) {
  struct iovec v[64];
  if (!stdio(fd))
    return ERRNO_BADF;
  if (n > 64)
    n = 64;
  if (!in(w, iovs, 8ull * n) || !in(w, nwritten, 4))
    return ERRNO_FAULT;
  for (u32 i = 0; i < n; i++) {
    u32 buf = load32(w, iovs + 8 * i), len = load32(w, iovs + 8 * i + 4);
    if (!in(w, buf, len))
      return ERRNO_FAULT;
    v[i].iov_base = w->mem->data + buf;
    v[i].iov_len = len;
  }
  ssize_t done = writev((int)fd, v, (int)n);
  if (done < 0)
    return wasi_errno(errno);
  store32(w, nwritten, (u32)done);
  return ERRNO_SUCCESS;
}

/* fd_fdstat_get answers wasi-libc's isatty: a terminal is a character
 * device without seek rights, so stdout is line-buffered exactly when it
 * would be natively (never, under the benchmark, which reads a pipe). */
u32 WASI(fd_fdstat_get)(WASI_INSTANCE* w, u32 fd, u32 out) {
  struct stat st;
  u8 type = FILETYPE_UNKNOWN;
  u64 rights = RIGHTS_FD_READ | RIGHTS_FD_WRITE;
  if (!stdio(fd))
    return ERRNO_BADF;
  if (!in(w, out, 24))
    return ERRNO_FAULT;
  if (fstat((int)fd, &st) != 0)
    return wasi_errno(errno);
  if (S_ISCHR(st.st_mode)) {
    type = FILETYPE_CHARACTER_DEVICE;
  } else if (S_ISREG(st.st_mode)) {
    type = FILETYPE_REGULAR_FILE;
    rights |= RIGHTS_FD_SEEK | RIGHTS_FD_TELL;
  }
  /* struct fdstat: u8 filetype, u16 flags at 2, u64 rights at 8 and 16. */
  memset(w->mem->data + out, 0, 24);
  w->mem->data[out] = type;
  memcpy(w->mem->data + out + 8, &rights, sizeof rights);
  return ERRNO_SUCCESS;
}

/* fd_seek: the kernels never seek; stdio streams cannot. */
u32 WASI(fd_seek)(WASI_INSTANCE* w, u32 fd, u64 offset, u32 whence, u32 out) {
  (void)w, (void)offset, (void)whence, (void)out;
  return stdio(fd) ? ERRNO_SPIPE : ERRNO_BADF;
}

/* fd_close: stdio stays open for the runtime's own messages. */
u32 WASI(fd_close)(WASI_INSTANCE* w, u32 fd) {
  (void)w;
  return stdio(fd) ? ERRNO_SUCCESS : ERRNO_BADF;
}

/* proc_exit: nothing is buffered on this side (fd_write is a system call),
 * so the process can end here, deep inside the kernel's stack. */
void WASI(proc_exit)(WASI_INSTANCE* w, u32 code) {
  (void)w;
  exit((int)code);
}

/* main runs _start once. A trap ends the process with a message and the
 * status an abort has, so the benchmark reports a failed run, not output. */
int main(void) {
  KERNEL kernel;
  /* The memory export is the address of a field of the instance, which is
   * known before instantiation fills the field in. */
  WASI_INSTANCE wasi = {KERNEL_MEMORY(&kernel)};
  wasm_rt_init();
  KERNEL_INIT();
  /* Before instantiation, which traps if a data segment does not fit. */
  wasm_rt_trap_t trap = wasm_rt_impl_try();
  if (trap != WASM_RT_TRAP_NONE) {
    fprintf(stderr, "wasm2c: trap: %s\n", wasm_rt_strerror(trap));
    return 134;
  }
  KERNEL_INSTANTIATE(&kernel, &wasi);
  KERNEL_START(&kernel);
  KERNEL_FREE(&kernel);
  wasm_rt_free();
  return 0;
}
