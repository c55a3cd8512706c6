package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// engineChildFlag starts the hidden mode in which this binary compiles or
// runs one WASI command with wazero or Wasmtime and exits. The gostd part
// runs the engines so for the same reason the large part does: each run
// starts in a fresh process, as a wasmc executable does, with none of the
// harness's heap or threads in it.
const engineChildFlag = "-engine-child"

// engineJob is what the child does; it travels as JSON in one argument.
type engineJob struct {
	Engine string `json:"engine"` // "wasmtime" or "wazero"
	Op     string `json:"op"`     // "compile": compile Wasm into Artifact; "run": run it
	Wasm   string `json:"wasm"`   // the module
	// Artifact is the compiled module: Wasmtime's serialized module (a
	// .cwasm, as `wasmtime compile` writes), or wazero's compilation cache
	// directory.
	Artifact string   `json:"artifact"`
	Args     []string `json:"args,omitempty"` // run: argv, argv[0] included
	Env      []string `json:"env,omitempty"`  // run: K=V
}

// childExit is a guest's nonzero exit status (proc_exit), which the child
// makes its own.
type childExit int

func (e childExit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// engineChild does the job spec describes, writes the measured time (the
// compile, or instantiation plus _start) in nanoseconds to descriptor 3 and
// returns the exit status: 0, the guest's, or 1 for any other failure.
func engineChild(spec string) int {
	var job engineJob
	err := json.Unmarshal([]byte(spec), &job)
	var d time.Duration
	if err == nil {
		switch job.Engine + " " + job.Op {
		case "wasmtime compile":
			d, err = wasmtimeCompileTo(job.Wasm, job.Artifact)
		case "wasmtime run":
			d, err = wasmtimeRunCommand(job.Artifact, job.Args, job.Env)
		case "wazero compile":
			d, err = wazeroCompileTo(job.Wasm, job.Artifact)
		case "wazero run":
			d, err = wazeroRunCommand(job.Wasm, job.Artifact, job.Args, job.Env)
		default:
			err = fmt.Errorf("unknown job %q %q", job.Engine, job.Op)
		}
	}
	if res := os.NewFile(3, "result"); res != nil {
		fmt.Fprintln(res, int64(d))
		res.Close()
	}
	var exit childExit
	if errors.As(err, &exit) {
		return int(exit)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s %s %s: %v\n", engineChildFlag, job.Engine, job.Op, err)
		return 1
	}
	return 0
}

// runEngineChild runs job in a child of this binary (self) in dir and
// returns the time it measured and its output, stdout and stderr together.
// The time comes back on a pipe of its own, so the guest's output is only
// the guest's.
func runEngineChild(self string, job engineJob, dir string) (time.Duration, []byte, error) {
	spec, err := json.Marshal(job)
	if err != nil {
		return 0, nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	cmd := exec.Command(self, engineChildFlag, string(spec))
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.ExtraFiles = []*os.File{w} // descriptor 3
	err = cmd.Start()
	w.Close()
	if err != nil {
		return 0, nil, err
	}
	res, _ := io.ReadAll(r) // until the child exits and its end closes
	if err := cmd.Wait(); err != nil {
		return 0, out.Bytes(), fmt.Errorf("%s child: %w", job.Engine, err)
	}
	ns, err := strconv.ParseInt(strings.TrimSpace(string(res)), 10, 64)
	if err != nil {
		return 0, out.Bytes(), fmt.Errorf("%s child: no time reported (%q)", job.Engine, res)
	}
	return time.Duration(ns), out.Bytes(), nil
}
