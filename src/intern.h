/*
** intern.h — string interning for data values. Every text cell of a stored
** table becomes a dense id, so comparisons are integer compares and key
** indexes are plain arrays indexed by id. Open addressing rather than uthash:
** a run interns 10^6–10^7 cells and uthash's 56-byte handle per entry would
** cost more memory than the data.
*/
#ifndef KP_INTERN_H
#define KP_INTERN_H

#include <stddef.h>
#include <stdint.h>

#define INTERN_NONE 0u /* id 0 is reserved for "no value" */

/* What the table knows of one id, together: a lookup that finds a slot
** then touches one entry, not three arrays. */
typedef struct InternEntry {
    uint32_t hash;
    uint32_t off; /* byte offset of the text in chars */
    uint32_t len;
} InternEntry;

typedef struct Intern {
    uint64_t *slots; /* hash << 32 | id per slot, 0 = empty: a probe that
                        meets another text's slot does not read its entry */
    InternEntry *entries;
    char *chars;
    size_t nchars, chars_cap;
    uint32_t count; /* ids in use, including the reserved 0 */
    uint32_t ids_cap;
    uint32_t mask; /* slots - 1 */
} Intern;

void intern_init(Intern *in);
void intern_free(Intern *in);
uint32_t intern_put(Intern *in, const char *s, size_t len);
/* Room for n more texts of nchars bytes in all (their NULs included), made
** at once: a loader that can estimate what a file holds spares the table
** the copies and rehashes of growing step by step. */
void intern_reserve(Intern *in, size_t n, size_t nchars);
/* The same in two steps, for a loader that knows a text it will intern a
** little later: intern_prefetch starts loading the slot it will probe (at
** 10^6 keys, a cache miss nearly every time) and gives the hash, which
** intern_put_hashed then takes. */
uint32_t intern_prefetch(const Intern *in, const char *s, size_t len);
uint32_t intern_put_hashed(Intern *in, const char *s, size_t len, uint32_t hash);
/* Frees the hash index; the texts and their ids stay. Once a run's tables
** are loaded it looks texts up rarely, and at 10^6 keys the index is 16 MB
** that the values computed next can use. The next lookup or put builds the
** index again (on one thread: not while others look texts up). */
void intern_drop_index(Intern *in);
/* INTERN_NONE when s was never interned. */
uint32_t intern_find(const Intern *in, const char *s, size_t len);
const char *intern_str(const Intern *in, uint32_t id, size_t *len);

/* intern_str inline, for loops that read texts by the million. */
static inline const char *intern_text(const Intern *in, uint32_t id, size_t *len)
{
    *len = in->entries[id].len;
    return in->chars + in->entries[id].off;
}

#endif
