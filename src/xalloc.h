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
/* Zeroed memory on cache lines of its own (64 bytes, none shared with
** another block): for what one thread writes all the time while another
** thread works beside it. Freed with free(). */
void *xcalloc_lines(size_t n);

#define uthash_malloc(sz)  xmalloc(sz)
#define uthash_free(p, sz) free(p)

#endif
