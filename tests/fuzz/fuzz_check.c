/*
** fuzz_check.c — libFuzzer harness: parse and resolve one rule file held in
** memory, as kp_compile does for a scheme without imports (imports are
** parsed as declarations but not followed), and format it when it parses:
** the formatter must accept every file that parses (it checks by itself
** that its output is the same program) and formatting its output again
** must change nothing. Then it writes the document of each scheme that
** resolves (kaoping doc) in both formats and languages. Build with
** `make fuzz`.
*/
#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "doc.h"
#include "fmt.h"
#include "parse.h"
#include "resolve.h"
#include "source.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Formats src; aborts when a file that parses cannot be formatted, or when
** formatting the result changes it again. */
static void check_format(Source *src)
{
    Arena arena;
    arena_init(&arena);
    Diags diags;
    diags_init(&diags);
    size_t len = 0, len2 = 0;
    char *once = fmt_source(&arena, src, &diags, &len);
    if (!once) abort();
    Source *again = source_from_mem("fuzz.kp", once, len);
    char *twice = again ? fmt_source(&arena, again, &diags, &len2) : NULL;
    if (!twice || len2 != len || memcmp(once, twice, len) != 0) abort();
    free(once);
    free(twice);
    source_free(again);
    diags_free(&diags);
    arena_free(&arena);
}

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
        check_format(src);
        PtrVec programs = {0};
        ptrvec_push(&arena, &programs, p);
        Model *m = resolve_scheme(&arena, &diags, &programs, NULL);
        if (m) {
            FILE *f = fopen("/dev/null", "w");
            for (int lang = 0; f && lang < LANG_COUNT; lang++) {
                DocBuf b = {0};
                doc_build(m, &arena, &b, (Lang)lang);
                docbuf_write_markdown(&b, f);
                docbuf_write_html(&b, f);
            }
            if (f) fclose(f);
            resolve_free(m);
        }
    }

    arena_free(&arena);
    diags_free(&diags);
    source_free(src);
    return 0;
}
