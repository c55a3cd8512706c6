// The code generator's stopgap shim functions (shim_cg.c), consulted after shim.c's.
#ifndef MACHORUN_SHIM_CG_H
#define MACHORUN_SHIM_CG_H

// shim_cg_lookup is shim_lookup for the functions shim.c does not provide yet, or 0.
void *shim_cg_lookup(const char *name);

#endif
