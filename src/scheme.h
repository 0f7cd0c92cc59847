/*
** scheme.h — what a compiled scheme (KpScheme of kaoping.h) holds, as the
** library's entry points share it: kaoping.c (compile, run, write), testrun.c
** (tests in rule files), coverage.c, explain and diff.c (two schemes compared
** on the same data).
*/
#ifndef KP_SCHEME_H
#define KP_SCHEME_H

#include "eval.h"
#include "explain.h"
#include "kaoping.h"

struct KpScheme {
    Arena arena;
    Model *m;
    PtrVec sources; /* Source *, freed with the scheme */
    PtrVec loaded;  /* canonical paths of the files loaded */
    Eval ev;
    bool data_loaded, ran;
    KpProgressFn progress;
    void *progress_ctx;
    ExplainRun xr; /* prepared on the first explanation */
    bool xr_ready;
    TestBlock *test; /* compiled for this test of the scheme's file, or NULL */
    /* Compiled beside another scheme (kp_compile_beside): its strings are the
    ** other's, and after kp_run_both so is its tables' storage, which this
    ** scheme then does not free. */
    bool borrowed_tables;
};

/* Compiles the scheme at path (see kp_compile). With test >= 0 it is
** compiled for tests: a module of params and functions needs no assessed
** table, and the declarations of test number `test` (when the file has it)
** join the scheme's. */
KpScheme *scheme_compile(const char *path, int test, Diags *d);
/* Computes every value and grade once the tables are loaded. Runtime errors
** are diagnostics; returns false after one. */
bool scheme_compute(KpScheme *s, Diags *d);

#endif
