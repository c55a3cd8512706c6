package driver

import (
	"fmt"
	"strings"

	"github.com/wasmc/wasmc/frontend"
)

// checkRunnable refuses a command whose executable would do nothing: a module with neither
// an export "_start" (a WASI command's entry) nor a start function is a library, a WASI
// reactor, and built without --invoke it would instantiate and exit 0 in silence. The
// error names the function exports, which is what --invoke wants. fm is nil for an input
// the caller lowered itself, which is not checked.
func checkRunnable(path string, fm *frontend.Module, o *Options) error {
	if !o.RequireEntry || fm == nil || o.Script != nil || o.Invoke != "" || fm.Start != nil {
		return nil
	}
	var funcs []string
	for _, x := range fm.Exports {
		if x.Kind != frontend.ExternFunc {
			continue
		}
		if x.Name == "_start" {
			return nil
		}
		if x.Name != reactorInit {
			funcs = append(funcs, x.Name)
		}
	}
	if len(funcs) == 0 {
		return fmt.Errorf("%s: the module has no _start, no start function and no function exports: its executable would do nothing", path)
	}
	const most = 10
	list := strings.Join(funcs[:min(len(funcs), most)], ", ")
	if len(funcs) > most {
		list += fmt.Sprintf(" and %d more", len(funcs)-most)
	}
	return fmt.Errorf("%s: the module has no _start to run (a library, or WASI reactor): build with --invoke NAME to call one of its function exports: %s", path, list)
}
