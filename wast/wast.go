package wast

import (
	"errors"
	"fmt"
	"os"

	"github.com/wasmc/wasmc/driver"
	"github.com/wasmc/wasmc/frontend"
	"github.com/wasmc/wasmc/frontend/wat"
)

// Mode says how far [Run] takes a script's commands.
type Mode uint8

const (
	// Validate only decodes and validates modules: invoke, get, register and the
	// assertions that need execution or linking count as skipped, though a module inside
	// one must still decode and validate.
	Validate Mode = iota
	// Interp executes the commands in the IR interpreter.
	Interp
	// Native builds the script into one executable and runs it, under an emulator when
	// the ISA is not the host's (internal/runexe).
	Native
)

// String returns the mode's name, as the wast command's flags spell it.
func (m Mode) String() string {
	switch m {
	case Validate:
		return "validate"
	case Interp:
		return "interp"
	case Native:
		return "native"
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// Config says how [Run] runs a script.
type Config struct {
	Mode Mode
	// Options are what modules are compiled with. Level and Verify serve the interpreter
	// too; Native builds with all of them (the ISA, the OS, checks, dumps) and sets Script
	// itself.
	Options driver.Options
	// Dir is where Native writes each script's executable, named after the script; the
	// caller removes it.
	Dir string
	// CPU, when not empty, runs Native's executables under the emulator on that processor
	// model (qemu's -cpu), for tests of CPU levels.
	CPU string
}

// Tally counts the outcomes of commands.
type Tally struct{ Passed, Failed, Skipped int }

// Add adds u's counts to t.
func (t *Tally) Add(u Tally) {
	t.Passed += u.Passed
	t.Failed += u.Failed
	t.Skipped += u.Skipped
}

// String returns "N passed, N failed, N skipped", the last line of every run.
func (t Tally) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", t.Passed, t.Failed, t.Skipped)
}

// outcome is the verdict on one command.
type outcome int

const (
	passed outcome = iota
	failed
	skipped
)

// Run runs the script at path and reports each failure through fail, as one line
// "FILE:LINE: message".
func Run(path string, cfg Config, fail func(string)) Tally {
	var t Tally
	src, err := os.ReadFile(path)
	if err != nil {
		fail(err.Error())
		t.Failed++
		return t
	}
	script, err := wat.ParseScript(path, src)
	if err != nil {
		fail(driver.Locate(path, src, true, err).Error())
		t.Failed++
		return t
	}
	r := &runner{path: path, src: src}
	var results []result // one per command, when executing
	switch cfg.Mode {
	case Interp:
		results = newInterp(r, cfg.Options).run(script.Commands)
	case Native:
		results, err = newNative(r, cfg).run(script.Commands)
		if err != nil {
			fail(fmt.Sprintf("%s: %v", path, err))
			t.Failed++
			return t
		}
	}
	for i := range script.Commands {
		c := &script.Commands[i]
		var o outcome
		var msg string
		if results == nil || static(c) {
			o, msg = r.validate(c)
		} else {
			o, msg = judge(c, results[i])
		}
		switch o {
		case passed:
			t.Passed++
		case skipped:
			t.Skipped++
		case failed:
			t.Failed++
			fail(fmt.Sprintf("%s:%d: %s", path, c.Line, msg))
		}
	}
	return t
}

// runner holds a script's source, for the positions of errors.
type runner struct {
	path string
	src  []byte
}

// static reports whether c is decided by decoding and validation alone, at every level.
func static(c *wat.Command) bool {
	return c.Kind == wat.CmdAssertMalformed || c.Kind == wat.CmdAssertInvalid
}

// validate decides c at the validation level.
func (r *runner) validate(c *wat.Command) (outcome, string) {
	switch c.Kind {
	case wat.CmdModule:
		if _, err := r.load(c.Module); err != nil {
			return failed, "module: " + err.Error()
		}
		return passed, ""
	case wat.CmdAssertMalformed:
		m, err := c.Module.Load()
		if err == nil {
			if verr := frontend.Validate(m); verr != nil {
				return failed, fmt.Sprintf("assert_malformed (%q): decoded, then rejected by the validator instead: %v", c.Text, verr)
			}
			return failed, fmt.Sprintf("assert_malformed (%q): module decoded and validated", c.Text)
		}
		if !isMalformed(err) {
			return failed, fmt.Sprintf("assert_malformed (%q): unexpected error %v", c.Text, err)
		}
		return passed, ""
	case wat.CmdAssertInvalid:
		m, err := c.Module.Load()
		if err != nil {
			return failed, fmt.Sprintf("assert_invalid (%q): module did not decode: %v", c.Text, r.locate(c.Module, err))
		}
		if err := frontend.Validate(m); err == nil {
			return failed, fmt.Sprintf("assert_invalid (%q): module validated", c.Text)
		}
		return passed, ""
	case wat.CmdAssertTrap, wat.CmdAssertUnlinkable, wat.CmdAssertUninstantiable:
		// Deciding these needs execution or linking; what this level can check is that the
		// module itself is sound.
		if c.Module != nil {
			if _, err := r.load(c.Module); err != nil {
				return failed, "module: " + err.Error()
			}
		}
	}
	return skipped, ""
}

// load decodes and validates a script's module; its errors say where (locate).
func (r *runner) load(d *wat.ModuleDef) (*frontend.Module, error) {
	m, err := d.Load()
	if err == nil {
		err = frontend.Validate(m)
	}
	if err != nil {
		return nil, r.locate(d, err)
	}
	return m, nil
}

// locate positions an error of module d: text modules of the script in the script, quoted
// ones in their quoted text, binaries by offset.
func (r *runner) locate(d *wat.ModuleDef, err error) error {
	switch d.Kind {
	case wat.ModuleBinary:
		return driver.Locate(fmt.Sprintf("%s:%d (binary module)", r.path, d.Line), d.Binary, false, err)
	case wat.ModuleQuote:
		return driver.Locate(fmt.Sprintf("%s:%d (quoted module)", r.path, d.Line), d.Quote, true, err)
	}
	return driver.Locate(r.path, r.src, true, err)
}

// isMalformed reports whether err is the decoder's or the text parser's.
func isMalformed(err error) bool {
	var de *frontend.DecodeError
	var se *wat.SyntaxError
	return errors.As(err, &de) || errors.As(err, &se)
}
