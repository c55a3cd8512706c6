package main

import (
	"errors"
	"regexp"

	"github.com/spf13/cobra"
)

// strconvError matches what pflag appends to a value it could not parse: the strconv
// error, which names a Go function ("strconv.ParseBool: parsing \"maybe\": invalid
// syntax") that means nothing to someone typing a command.
var strconvError = regexp.MustCompile(`strconv\.Parse(Bool|Int|Uint|Float): parsing "[^"]*": (invalid syntax|value out of range)`)

// flagError is the root command's flag error function: it says in words what a flag
// wants instead of quoting strconv.
func flagError(_ *cobra.Command, err error) error {
	msg := err.Error()
	if !strconvError.MatchString(msg) {
		return err
	}
	return errors.New(strconvError.ReplaceAllStringFunc(msg, func(m string) string {
		sub := strconvError.FindStringSubmatch(m)
		switch {
		case sub[2] == "value out of range":
			return "out of range"
		case sub[1] == "Bool":
			return "want true or false"
		case sub[1] == "Float":
			return "want a number"
		}
		return "want an integer"
	}))
}
