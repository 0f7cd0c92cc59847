/*
** xalloc.c — checked allocation (see xalloc.h).
*/
#include "xalloc.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "kaoping: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void xadvise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (n < huge) return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(huge - 1);
    if (b > a) madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *xgrow(void *p, size_t old, size_t n)
{
    if (n < ((size_t)2 << 20)) return xrealloc(p, n);
    void *q = xmalloc(n);
    xadvise_huge(q, n);
    if (p) memcpy(q, p, old < n ? old : n);
    free(p);
    return q;
}
