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

#define uthash_malloc(sz)  xmalloc(sz)
#define uthash_free(p, sz) free(p)

#endif
