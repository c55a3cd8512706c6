package main

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"github.com/wasmc/wasmc/driver"
)

// buildOptions are what `wasmc build` and `wasmc run` compile a module with.
type buildOptions struct {
	target      string
	level       int
	invoke      string
	trapUnknown bool
	caps        capabilities
}

func (o *buildOptions) register(f *pflag.FlagSet) {
	f.StringVar(&o.invoke, "invoke", "", "call this export with the command line's arguments and print its results")
	f.StringVar(&o.target, "target", hostTarget(), "the target OS/ARCH (see `wasmc targets`)")
	f.IntVarP(&o.level, "opt", "O", 2, "optimization level: 0, 1 or 2")
	f.BoolVar(&o.trapUnknown, "trap-unknown-imports", false, "make function imports that nothing provides trap when called, instead of failing the build")
	o.caps.register(f)
}

// options turns the flags into the driver's options; the caller adds what looks inside.
func (o *buildOptions) options() (driver.Options, error) {
	if o.level < 0 || o.level > 2 {
		return driver.Options{}, fmt.Errorf("build: -O%d: the levels are 0, 1 and 2", o.level)
	}
	t, isa, err := parseTarget(o.target)
	if err != nil {
		return driver.Options{}, fmt.Errorf("build: %w", err)
	}
	config, err := o.caps.config(t.Arch.String())
	if err != nil {
		return driver.Options{}, fmt.Errorf("build: %w", err)
	}
	return driver.Options{
		ISA:                isa,
		OS:                 t.OS,
		Level:              o.level,
		Invoke:             o.invoke,
		TrapUnknownImports: o.trapUnknown,
		WASIConfig:         config,
	}, nil
}

// buildFile compiles the module at path with opts.
func buildFile(path string, opts driver.Options) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return driver.Build([]driver.Input{{Path: path, Data: data}}, opts)
}
