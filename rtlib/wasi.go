package rtlib

import (
	"strings"

	"github.com/wasmc/wasmc/ir"
)

// wasiSigs are the core wasm signatures of every function of wasi_snapshot_preview1, as
// its witx defines them: params, then "->" and the result.
var wasiSigs = map[string]string{
	"args_get": "ii>i", "args_sizes_get": "ii>i", "environ_get": "ii>i", "environ_sizes_get": "ii>i",
	"clock_res_get": "ii>i", "clock_time_get": "iIi>i",
	"fd_advise": "iIIi>i", "fd_allocate": "iII>i", "fd_close": "i>i", "fd_datasync": "i>i",
	"fd_fdstat_get": "ii>i", "fd_fdstat_set_flags": "ii>i", "fd_fdstat_set_rights": "iII>i",
	"fd_filestat_get": "ii>i", "fd_filestat_set_size": "iI>i", "fd_filestat_set_times": "iIIi>i",
	"fd_pread": "iiiIi>i", "fd_prestat_get": "ii>i", "fd_prestat_dir_name": "iii>i",
	"fd_pwrite": "iiiIi>i", "fd_read": "iiii>i", "fd_readdir": "iiiIi>i", "fd_renumber": "ii>i",
	"fd_seek": "iIii>i", "fd_sync": "i>i", "fd_tell": "ii>i", "fd_write": "iiii>i",
	"path_create_directory": "iii>i", "path_filestat_get": "iiiii>i",
	"path_filestat_set_times": "iiiiIIi>i", "path_link": "iiiiiii>i",
	"path_open": "iiiiiIIii>i", "path_readlink": "iiiiii>i", "path_remove_directory": "iii>i",
	"path_rename": "iiiiii>i", "path_symlink": "iiiii>i", "path_unlink_file": "iii>i",
	"poll_oneoff": "iiii>i", "proc_exit": "i>", "proc_raise": "i>i", "sched_yield": ">i",
	"random_get": "ii>i", "sock_accept": "iii>i", "sock_recv": "iiiiii>i", "sock_send": "iiiii>i",
	"sock_shutdown": "ii>i",
}

// WASIFunctions returns the signature of every wasi_snapshot_preview1 function by name.
func WASIFunctions() map[string]ir.Signature {
	types := func(s string) []ir.Type {
		var ts []ir.Type
		for _, c := range s {
			if c == 'I' {
				ts = append(ts, ir.I64)
			} else {
				ts = append(ts, ir.I32)
			}
		}
		return ts
	}
	m := make(map[string]ir.Signature, len(wasiSigs))
	for name, s := range wasiSigs {
		params, results, _ := strings.Cut(s, ">")
		m[name] = ir.Signature{Params: types(params), Results: types(results)}
	}
	return m
}

// IsInternal reports whether a runtime export is wasmc's own rather than a WASI
// function: a module importing it from [WASIModule] must be refused.
func IsInternal(name string) bool { return strings.HasPrefix(name, "wasmc") }
