package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"testing"

	"github.com/wasmc/wasmc/internal/targettest"
)

// pollWat polls n clock subscriptions (relative timeout 0, so all of them fire; userdata
// k+1 for the k-th) laid out at 0x10000, with the events written gap bytes after them,
// and returns the errno, what nevents holds (0xdead if nothing was written), and the
// first wrong item, counted from 1 (0 when all are right): after a success, the first
// event that is not the k-th clock's; after an error, the first subscription that is no
// longer as it was written, since a failed call must write nothing.
const pollWat = `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory 160)
  (global $in i32 (i32.const 0x10000))
  (func $fill (param $n i32)
    (local $k i32) (local $p i32)
    (local.set $p (global.get $in))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (i64.store (local.get $p) (i64.extend_i32_u (i32.add (local.get $k) (i32.const 1))))
      (i32.store offset=16 (local.get $p) (i32.const 1)) ;; the monotonic clock
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 48)))
      (br $next))))
  ;; first_bad returns the first of n items of size bytes at p (counted from 1) whose
  ;; first word is not its number, or whose bytes 8 to 11 are not 0, or 0.
  (func $first_bad (param $p i32) (param $n i32) (param $size i32) (result i32)
    (local $k i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (if (i32.or (i64.ne (i64.load (local.get $p)) (i64.extend_i32_u (i32.add (local.get $k) (i32.const 1))))
                  (i32.load offset=8 (local.get $p)))
        (then (return (i32.add (local.get $k) (i32.const 1)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (local.get $size)))
      (br $next)))
    (i32.const 0))
  (func (export "poll") (param $n i32) (param $gap i32) (result i32 i32 i32)
    (local $e i32)
    (call $fill (local.get $n))
    (i32.store (i32.const 0x100) (i32.const 0xdead))
    (local.set $e (call $poll_oneoff (global.get $in) (i32.add (global.get $in) (local.get $gap))
      (local.get $n) (i32.const 0x100)))
    (local.get $e)
    (i32.load (i32.const 0x100))
    (if (result i32) (i32.eqz (local.get $e))
      (then (call $first_bad (i32.add (global.get $in) (local.get $gap)) (i32.load (i32.const 0x100)) (i32.const 32)))
      (else (call $first_bad (global.get $in) (local.get $n) (i32.const 48))))))`

// TestPollOneoffHostile (issue 19, finding 6): the events may overlap the subscriptions,
// and each event must still be its subscription's, because every subscription is read
// before any event is written; a count beyond what the runtime copies (8192) is
// refused with NOTSUP, having read and written nothing, rather than read past its
// tables. 180,000 subscriptions whose events overlap them once ran the runtime's pfds
// index past its end.
func TestPollOneoffHostile(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		exe := buildFor(t, x, writeFile(t, "poll.wat", []byte(pollWat)), "--invoke", "poll")
		for _, tc := range []struct {
			n, gap, want string
		}{
			{"3", "48", "0\n3\n0\n"},         // the events start at the second subscription
			{"3", "40", "0\n3\n0\n"},         // and straddle two
			{"3", "0", "0\n3\n0\n"},          // in and out the same
			{"8192", "48", "0\n8192\n0\n"},   // the most the runtime takes
			{"8193", "48", "58\n57005\n0\n"}, // NOTSUP
			{"180000", "40", "58\n57005\n0\n"},
		} {
			stdout, stderr, status := runOut(t, x, exe, tc.n, tc.gap)
			if status != 0 || stdout != tc.want {
				t.Errorf("poll(n=%s, out=in+%s): status %d, stdout %q, stderr %q; want 0 and %q (errno, nevents, first wrong item)",
					tc.n, tc.gap, status, stdout, stderr, tc.want)
			}
		}
	})
}

// readdirWat calls fd_readdir on the preopened directory (fd 3) from cookie 0 with a
// buffer of len bytes 25 bytes before the end of a 4 GiB memory, where "." (a 24-byte
// header and a 1-byte name) ends exactly at 2^32, and returns the errno, the bytes used,
// and the first byte of memory that is no longer 0 (counting from 1; 0 if none of the
// first 64 changed). Memory has all of the 65536 pages wasm32 allows, because only a
// range reaching 2^32 can wrap.
const readdirWat = `(module
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (memory 65536)
  (func (export "readdir") (param $len i32) (result i32 i32 i32)
    (local $e i32) (local $k i32) (local $bad i32)
    (local.set $e (call $fd_readdir (i32.const 3) (i32.const 0xffffffe7) (local.get $len) (i64.const 0) (i32.const 0x100)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (i32.const 64)))
      (if (i32.load8_u (local.get $k))
        (then (local.set $bad (i32.add (local.get $k) (i32.const 1))) (br $done)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $next)))
    (local.get $e) (i32.load (i32.const 0x100)) (local.get $bad)))`

// TestReaddirWrap (issue 19, finding 7): an fd_readdir buffer that ends exactly at 2^32
// is filled; one that runs past it is outside memory, as in every other call: the program
// ends with status 1 and says so, where the cursor once wrapped and wrote ".." at guest
// address 0.
func TestReaddirWrap(t *testing.T) {
	targettest.Each(t, func(t *testing.T, x targettest.Exec) {
		exe := buildFor(t, x, writeFile(t, "readdir.wat", []byte(readdirWat)), "--invoke", "readdir", "--dir", t.TempDir())
		stdout, stderr, status := runOut(t, x, exe, "25")
		if status != 0 || stdout != "0\n25\n0\n" {
			t.Errorf("a buffer ending at 2^32: status %d, stdout %q, stderr %q; want 0 and %q", status, stdout, stderr, "0\n25\n0\n")
		}
		stdout, stderr, status = runOut(t, x, exe, "64")
		want := regexp.MustCompile(`: a WASI call's pointer is outside linear memory: +0xffffffe7\n$`)
		if status != 1 || !want.MatchString(stderr) {
			t.Errorf("a buffer past 2^32: status %d, stdout %q, stderr %q; want 1 and %q", status, stdout, stderr, want)
		}
	})
}

// runOut runs exe through x's runner with args and returns its stdout, stderr and exit
// status.
func runOut(t *testing.T, x targettest.Exec, exe string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	c := x.Runner.Command(exe, args...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}
