/*
** xalloc.c — checked allocation (see xalloc.h).
*/
#include "xalloc.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "kaoping: out of memory (allocating %zu bytes)\n", n);
    abort();
}

/* Large blocks are marked for transparent huge pages: a column of 10^6 rows
** then faults in 2 MiB at a time instead of 4 KiB. Marking a block alone is
** not enough: malloc writes the header of the next chunk just past it, and a
** 2 MiB range that already has one 4 KiB page never becomes a huge page. So a
** block in the brk heap is marked up to the break, which main() keeps well
** ahead (M_TOP_PAD): the memory the next blocks will come from is marked
** before anything touches it, as glibc's own hugetlb tunable does. At 10^6
** persons this takes the run from 60,000 page faults to 12,000. */
#define TOP_PAD_REACH ((size_t)64 << 20) /* main() pads by 32 MiB */

static void advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    if (n < ((size_t)64 << 10)) return;
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095, b = (uintptr_t)p + n;
    /* A block carved from the top of the brk heap ends within the top pad
    ** below the break; one in a mapping of its own lies elsewhere. */
    uintptr_t brk = (uintptr_t)sbrk(0);
    if (b <= brk && brk - b <= TOP_PAD_REACH) b = brk;
    madvise((void *)a, b - a, MADV_HUGEPAGE); /* a hint: ignored where unsupported */
#else
    (void)p;
    (void)n;
#endif
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory(n);
    advise_huge(p, n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory(n * size);
    advise_huge(p, n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory(n);
    advise_huge(q, n);
    return q;
}

void *xcalloc_lines(size_t n)
{
    size_t size = (n + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, size ? size : 64);
    if (!p) out_of_memory(n);
    memset(p, 0, size ? size : 64);
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}
