/*
** arena.h — bump allocator. Everything a compiled scheme owns (tokens' text,
** AST nodes, interned names, resolved tables) lives in one arena and is freed
** at once, so error paths cannot leak.
*/
#ifndef KP_ARENA_H
#define KP_ARENA_H

#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
    size_t used, cap; /* in the head block */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Zeroed, 16-byte aligned memory owned by the arena. Aborts on OOM. */
void *arena_alloc(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ARENA_NEW(a, T)    ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARR(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
