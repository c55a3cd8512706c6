package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// The launcher: a small process, started before the harness grows, that starts every
// measured command for it. Go starts a child with vfork, sharing the parent's memory
// until the exec, and Linux keeps the parent's peak RSS of that moment as the child's
// maxrss: started by the harness itself, which by then holds the generated modules or
// has run wazero in-process, every build "peaked" at 40 MB or more, and the fixed cost
// subtracted from the others was that, not wasmc's. Started from the launcher, whose own
// peak stays a few MB, a build's maxrss is its own.

// launcherFlag starts the hidden mode in which this binary only launches commands.
const launcherFlag = "-launcher"

// theLauncher is the launcher runMeasured uses, once startLauncher has started it.
var theLauncher *launcher

type launcher struct {
	cmd *exec.Cmd
	in  *json.Encoder
	out *bufio.Scanner
}

// launchRequest is one command to run, as exec.Cmd has it.
type launchRequest struct {
	Path string
	Args []string
	Dir  string
	Env  []string
}

// launchReply is what it cost, or why it failed.
type launchReply struct {
	Wall, CPU time.Duration
	MaxRSS    int64
	Err       string
}

// startLauncher starts the launcher process; a failure leaves runMeasured to start
// commands itself.
func startLauncher() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, launcherFlag)
	cmd.Stderr = os.Stderr
	w, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	r, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	theLauncher = &launcher{cmd: cmd, in: json.NewEncoder(w), out: sc}
	return nil
}

// run has the launcher run cmd and returns what it cost.
func (l *launcher) run(cmd *exec.Cmd) (usage, error) {
	if err := l.in.Encode(launchRequest{Path: cmd.Path, Args: cmd.Args, Dir: cmd.Dir, Env: cmd.Env}); err != nil {
		return usage{}, fmt.Errorf("launcher: %w", err)
	}
	if !l.out.Scan() {
		return usage{}, fmt.Errorf("launcher: no reply: %v", l.out.Err())
	}
	var rep launchReply
	if err := json.Unmarshal(l.out.Bytes(), &rep); err != nil {
		return usage{}, fmt.Errorf("launcher: %w", err)
	}
	if rep.Err != "" {
		return usage{}, errors.New(rep.Err)
	}
	return usage{wall: rep.Wall, cpu: rep.CPU, maxRSS: rep.MaxRSS}, nil
}

// serveLauncher runs the commands that arrive on stdin, one at a time, replying on
// stdout; it returns when stdin closes.
func serveLauncher() int {
	dec := json.NewDecoder(os.Stdin)
	enc := json.NewEncoder(os.Stdout)
	for {
		var req launchRequest
		if err := dec.Decode(&req); err != nil {
			if err == io.EOF {
				return 0
			}
			fmt.Fprintln(os.Stderr, "launcher:", err)
			return 1
		}
		cmd := &exec.Cmd{Path: req.Path, Args: req.Args, Dir: req.Dir, Env: req.Env}
		var rep launchReply
		if _, wall, err := runTimed(cmd); err != nil {
			rep.Err = err.Error()
		} else {
			u := usageOf(cmd.ProcessState, wall)
			rep.Wall, rep.CPU, rep.MaxRSS = u.wall, u.cpu, u.maxRSS
		}
		if err := enc.Encode(rep); err != nil {
			return 1
		}
	}
}
