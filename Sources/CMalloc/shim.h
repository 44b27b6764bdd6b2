#ifndef BLANKETT_CMALLOC_SHIM_H
#define BLANKETT_CMALLOC_SHIM_H
#include <malloc.h>

/* M_ARENA_MAX is a macro Swift does not import. */
static inline int blankett_malloc_set_arena_maximum(int arenas) { return mallopt(M_ARENA_MAX, arenas); }
#endif
