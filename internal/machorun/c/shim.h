// The interface between the loader and the shim: the libSystem functions a Mach-O may
// bind, by their Mach-O names.
#ifndef MACHORUN_SHIM_H
#define MACHORUN_SHIM_H

// shim_lookup returns the shim function that stands for the libSystem symbol name (as
// the bind opcodes spell it, with the leading underscore: "_write"), or 0.
void *shim_lookup(const char *name);

#endif
