/*
** scheme.h — what a compiled scheme (KpScheme of kaoping.h) holds. Shared by
** the library's entry points: kaoping.c (compile, run, write) and diff.c
** (two schemes compared on the same data).
*/
#ifndef KP_SCHEME_H
#define KP_SCHEME_H

#include "eval.h"
#include "kaoping.h"

struct KpScheme {
    Arena arena;
    Model *m;
    PtrVec sources; /* Source *, freed with the scheme */
    PtrVec loaded;  /* canonical paths of the files loaded */
    Eval ev;
    bool ran;
    /* Compiled beside another scheme (kp_compile_beside): its strings are the
    ** other's, and after kp_run_both so is its tables' storage, which this
    ** scheme then does not free. */
    bool borrowed_tables;
};

#endif
