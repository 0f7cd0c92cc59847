/*
** xalloc.h — checked allocation. Out of memory is not a condition a rules
** engine can recover from mid-evaluation, so these abort with a message.
*/
#ifndef KP_XALLOC_H
#define KP_XALLOC_H

#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Asks for transparent huge pages over a large block (a hint; ignored where
** unsupported): columns of a million rows then fault in 2 MiB at a time. */
void xadvise_huge(void *p, size_t n);
/* Grows a block of `old` bytes to n bytes. A large block gets its huge pages
** before the copy writes to it (realloc would copy first, into 4 KiB pages,
** each a page fault: at 10^6 rows the faults cost more than the copying). */
void *xgrow(void *p, size_t old, size_t n);

#define uthash_malloc(sz)  xmalloc(sz)
#define uthash_free(p, sz) free(p)

#endif
