/*
** arena.c — bump allocator in growing blocks.
*/
#include "arena.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void arena_init(Arena *a)
{
    a->head = NULL;
    a->used = a->cap = 0;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->used + n > a->cap) {
        size_t cap = a->head ? a->cap * 2 : 16384;
        if (cap < n) cap = n;
        if (cap > (1u << 24) && n <= (1u << 24)) cap = 1u << 24;
        ArenaBlock *b = xmalloc(sizeof(ArenaBlock) + cap);
        b->next = a->head;
        b->cap = cap;
        a->head = b;
        a->used = 0;
        a->cap = cap;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
