/*
** fuzz_check.c — libFuzzer harness: parse and resolve one rule file held in
** memory, as kp_compile does for a scheme without imports (imports are
** parsed as declarations but not followed). Build with `make fuzz`.
*/
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "resolve.h"
#include "source.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Source *src = source_from_mem("fuzz.kp", (const char *)data, size);
    if (!src) return 0;
    Diags diags;
    diags_init(&diags);
    diags.max_errors = 20;
    Arena arena;
    arena_init(&arena);

    Program *p = parse_program(&arena, src, &diags);
    ast_set_source(p);
    if (diags.nerrors == 0) {
        PtrVec programs = {0};
        ptrvec_push(&arena, &programs, p);
        Model *m = resolve_scheme(&arena, &diags, &programs, NULL);
        if (m) resolve_free(m);
    }

    arena_free(&arena);
    diags_free(&diags);
    source_free(src);
    return 0;
}
