// wasiraw.h: every function of wasi_snapshot_preview1, imported directly with
// its exact wasm-level signature (pointers and lengths as separate arguments),
// so tests can pass any pointer/length, including out-of-bounds ones.
// Types and constants come from wasi-libc's <wasi/api.h>.
#ifndef WASIRAW_H
#define WASIRAW_H

#include <stdint.h>
#include <wasi/api.h>

#define WASI_IMPORT(name) \
	__attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

typedef uint32_t ptr_t; // a guest address
typedef int32_t errno_t_; // wasm i32 result

WASI_IMPORT(args_get) errno_t_ r_args_get(ptr_t argv, ptr_t argv_buf);
WASI_IMPORT(args_sizes_get) errno_t_ r_args_sizes_get(ptr_t argc, ptr_t buf_size);
WASI_IMPORT(environ_get) errno_t_ r_environ_get(ptr_t environ, ptr_t environ_buf);
WASI_IMPORT(environ_sizes_get) errno_t_ r_environ_sizes_get(ptr_t count, ptr_t buf_size);
WASI_IMPORT(clock_res_get) errno_t_ r_clock_res_get(uint32_t id, ptr_t res);
WASI_IMPORT(clock_time_get) errno_t_ r_clock_time_get(uint32_t id, uint64_t precision, ptr_t time);
WASI_IMPORT(fd_advise) errno_t_ r_fd_advise(uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice);
WASI_IMPORT(fd_allocate) errno_t_ r_fd_allocate(uint32_t fd, uint64_t offset, uint64_t len);
WASI_IMPORT(fd_close) errno_t_ r_fd_close(uint32_t fd);
WASI_IMPORT(fd_datasync) errno_t_ r_fd_datasync(uint32_t fd);
WASI_IMPORT(fd_fdstat_get) errno_t_ r_fd_fdstat_get(uint32_t fd, ptr_t stat);
WASI_IMPORT(fd_fdstat_set_flags) errno_t_ r_fd_fdstat_set_flags(uint32_t fd, uint32_t flags);
WASI_IMPORT(fd_fdstat_set_rights) errno_t_ r_fd_fdstat_set_rights(uint32_t fd, uint64_t base, uint64_t inheriting);
WASI_IMPORT(fd_filestat_get) errno_t_ r_fd_filestat_get(uint32_t fd, ptr_t stat);
WASI_IMPORT(fd_filestat_set_size) errno_t_ r_fd_filestat_set_size(uint32_t fd, uint64_t size);
WASI_IMPORT(fd_filestat_set_times) errno_t_ r_fd_filestat_set_times(uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
WASI_IMPORT(fd_pread) errno_t_ r_fd_pread(uint32_t fd, ptr_t iovs, uint32_t iovs_len, uint64_t offset, ptr_t nread);
WASI_IMPORT(fd_prestat_get) errno_t_ r_fd_prestat_get(uint32_t fd, ptr_t prestat);
WASI_IMPORT(fd_prestat_dir_name) errno_t_ r_fd_prestat_dir_name(uint32_t fd, ptr_t path, uint32_t path_len);
WASI_IMPORT(fd_pwrite) errno_t_ r_fd_pwrite(uint32_t fd, ptr_t iovs, uint32_t iovs_len, uint64_t offset, ptr_t nwritten);
WASI_IMPORT(fd_read) errno_t_ r_fd_read(uint32_t fd, ptr_t iovs, uint32_t iovs_len, ptr_t nread);
WASI_IMPORT(fd_readdir) errno_t_ r_fd_readdir(uint32_t fd, ptr_t buf, uint32_t buf_len, uint64_t cookie, ptr_t bufused);
WASI_IMPORT(fd_renumber) errno_t_ r_fd_renumber(uint32_t fd, uint32_t to);
WASI_IMPORT(fd_seek) errno_t_ r_fd_seek(uint32_t fd, int64_t offset, uint32_t whence, ptr_t newoffset);
WASI_IMPORT(fd_sync) errno_t_ r_fd_sync(uint32_t fd);
WASI_IMPORT(fd_tell) errno_t_ r_fd_tell(uint32_t fd, ptr_t offset);
WASI_IMPORT(fd_write) errno_t_ r_fd_write(uint32_t fd, ptr_t iovs, uint32_t iovs_len, ptr_t nwritten);
WASI_IMPORT(path_create_directory) errno_t_ r_path_create_directory(uint32_t fd, ptr_t path, uint32_t path_len);
WASI_IMPORT(path_filestat_get) errno_t_ r_path_filestat_get(uint32_t fd, uint32_t flags, ptr_t path, uint32_t path_len, ptr_t stat);
WASI_IMPORT(path_filestat_set_times) errno_t_ r_path_filestat_set_times(uint32_t fd, uint32_t flags, ptr_t path, uint32_t path_len, uint64_t atim, uint64_t mtim, uint32_t fst_flags);
WASI_IMPORT(path_link) errno_t_ r_path_link(uint32_t old_fd, uint32_t old_flags, ptr_t old_path, uint32_t old_len, uint32_t new_fd, ptr_t new_path, uint32_t new_len);
WASI_IMPORT(path_open) errno_t_ r_path_open(uint32_t fd, uint32_t dirflags, ptr_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags, ptr_t opened_fd);
WASI_IMPORT(path_readlink) errno_t_ r_path_readlink(uint32_t fd, ptr_t path, uint32_t path_len, ptr_t buf, uint32_t buf_len, ptr_t bufused);
WASI_IMPORT(path_remove_directory) errno_t_ r_path_remove_directory(uint32_t fd, ptr_t path, uint32_t path_len);
WASI_IMPORT(path_rename) errno_t_ r_path_rename(uint32_t fd, ptr_t old_path, uint32_t old_len, uint32_t new_fd, ptr_t new_path, uint32_t new_len);
WASI_IMPORT(path_symlink) errno_t_ r_path_symlink(ptr_t old_path, uint32_t old_len, uint32_t fd, ptr_t new_path, uint32_t new_len);
WASI_IMPORT(path_unlink_file) errno_t_ r_path_unlink_file(uint32_t fd, ptr_t path, uint32_t path_len);
WASI_IMPORT(poll_oneoff) errno_t_ r_poll_oneoff(ptr_t in, ptr_t out, uint32_t nsubscriptions, ptr_t nevents);
WASI_IMPORT(proc_exit) _Noreturn void r_proc_exit(uint32_t code);
WASI_IMPORT(proc_raise) errno_t_ r_proc_raise(uint32_t sig);
WASI_IMPORT(sched_yield) errno_t_ r_sched_yield(void);
WASI_IMPORT(random_get) errno_t_ r_random_get(ptr_t buf, uint32_t buf_len);
WASI_IMPORT(sock_accept) errno_t_ r_sock_accept(uint32_t fd, uint32_t flags, ptr_t newfd);
WASI_IMPORT(sock_recv) errno_t_ r_sock_recv(uint32_t fd, ptr_t ri_data, uint32_t ri_data_len, uint32_t ri_flags, ptr_t ro_datalen, ptr_t ro_flags);
WASI_IMPORT(sock_send) errno_t_ r_sock_send(uint32_t fd, ptr_t si_data, uint32_t si_data_len, uint32_t si_flags, ptr_t so_datalen);
WASI_IMPORT(sock_shutdown) errno_t_ r_sock_shutdown(uint32_t fd, uint32_t how);

#define P(x) ((ptr_t)(uintptr_t)(x))

#endif
