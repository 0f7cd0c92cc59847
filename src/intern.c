/*
** intern.c — open-addressing string table (see intern.h).
*/
#include "intern.h"
#include "xalloc.h"

#include <stdbool.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
    /* Eight bytes at a time with a multiply-xorshift mix: keys and codes are
    ** short, and this runs once per cell of every loaded table. */
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    return (uint32_t)h ? (uint32_t)h : 1;
}

void intern_init(Intern *in)
{
    memset(in, 0, sizeof *in);
    in->mask = 1023;
    in->slots = xcalloc(in->mask + 1, sizeof(uint64_t));
    in->ids_cap = 1024;
    in->entries = xmalloc(in->ids_cap * sizeof(InternEntry));
    in->chars_cap = 65536;
    in->chars = xmalloc(in->chars_cap);
    in->count = 1;
    in->entries[0] = (InternEntry){0, 0, 0};
    in->chars[0] = 0;
    in->nchars = 1;
}

void intern_free(Intern *in)
{
    free(in->slots);
    free(in->entries);
    free(in->chars);
    memset(in, 0, sizeof *in);
}

/* Slots are at most 70% full: linear probing stays short, and at 10^6 keys
** the table takes 16 MB, not the 32 MB that half full would. */
static bool too_full(uint64_t count, uint32_t mask)
{
    return count * 10 > (uint64_t)mask * 7;
}

/* mask + 1 slots (a power of two), every id placed again. */
static void rehash(Intern *in, uint32_t mask)
{
    uint64_t *slots = xcalloc((size_t)mask + 1, sizeof(uint64_t));
    for (uint32_t id = 1; id < in->count; id++) {
        uint32_t h = in->entries[id].hash, i = h & mask;
        while (slots[i])
            i = (i + 1) & mask;
        slots[i] = (uint64_t)h << 32 | id;
    }
    free(in->slots);
    in->slots = slots;
    in->mask = mask;
}

void intern_drop_index(Intern *in)
{
    free(in->slots);
    in->slots = NULL;
}

/* The index, built again after intern_drop_index. */
static void need_index(Intern *in)
{
    if (!in->slots) rehash(in, in->mask);
}

void intern_reserve(Intern *in, size_t n, size_t nchars)
{
    size_t count = (size_t)in->count + n;
    if (count >= UINT32_MAX / 4) return; /* the steps will fail it properly */
    if (count > in->ids_cap) {
        in->entries = xrealloc(in->entries, count * sizeof(InternEntry));
        in->ids_cap = (uint32_t)count;
    }
    if (in->nchars + nchars > in->chars_cap) {
        in->chars_cap = in->nchars + nchars;
        in->chars = xrealloc(in->chars, in->chars_cap);
    }
    uint32_t mask = in->mask;
    while (too_full(count, mask))
        mask = mask * 2 + 1;
    if (mask != in->mask || !in->slots) rehash(in, mask);
}

static uint64_t *probe(const Intern *in, const char *s, size_t len, uint32_t h)
{
    uint32_t i = h & in->mask;
    for (;;) {
        uint64_t slot = in->slots[i];
        if (!slot) return &in->slots[i];
        if ((uint32_t)(slot >> 32) == h) {
            const InternEntry *e = &in->entries[(uint32_t)slot];
            if (e->len == len && memcmp(in->chars + e->off, s, len) == 0) return &in->slots[i];
        }
        i = (i + 1) & in->mask;
    }
}

uint32_t intern_find(const Intern *in, const char *s, size_t len)
{
    /* Building the index again changes no text or id: to a caller, the
    ** table is as it was. */
    need_index((Intern *)in);
    return (uint32_t)*probe(in, s, len, hash_bytes(s, len));
}

uint32_t intern_prefetch(const Intern *in, const char *s, size_t len)
{
    uint32_t h = hash_bytes(s, len);
    if (in->slots) __builtin_prefetch(&in->slots[h & in->mask]);
    return h;
}

uint32_t intern_put(Intern *in, const char *s, size_t len)
{
    return intern_put_hashed(in, s, len, hash_bytes(s, len));
}

uint32_t intern_put_hashed(Intern *in, const char *s, size_t len, uint32_t h)
{
    need_index(in);
    uint64_t *slot = probe(in, s, len, h);
    if (*slot) return (uint32_t)*slot;
    if (in->count == in->ids_cap) {
        in->entries = xrealloc(in->entries, 2 * in->ids_cap * sizeof(InternEntry));
        in->ids_cap *= 2;
    }
    while (in->nchars + len + 1 > in->chars_cap) {
        in->chars = xrealloc(in->chars, 2 * in->chars_cap);
        in->chars_cap *= 2;
    }
    uint32_t id = in->count++;
    in->entries[id] = (InternEntry){h, (uint32_t)in->nchars, (uint32_t)len};
    memcpy(in->chars + in->nchars, s, len);
    in->chars[in->nchars + len] = 0;
    in->nchars += len + 1;
    *slot = (uint64_t)h << 32 | id;
    if (too_full(in->count, in->mask)) rehash(in, in->mask * 2 + 1);
    return id;
}

const char *intern_str(const Intern *in, uint32_t id, size_t *len)
{
    if (len) *len = in->entries[id].len;
    return in->chars + in->entries[id].off;
}
