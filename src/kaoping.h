/*
** kaoping.h — the library's public interface. The library never prints and
** never exits: problems come back as diagnostics, and main.c decides what to
** show and which exit status to use.
*/
#ifndef KAOPING_H
#define KAOPING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"

#define KP_VERSION "0.1.0"

typedef struct KpScheme KpScheme;

typedef enum { KP_FORMAT_CSV, KP_FORMAT_JSON } KpFormat;

/* Reads, parses and resolves a scheme and its imports. Diagnostics (errors
** and warnings) go to d. Returns NULL when there was any error. */
KpScheme *kp_compile(const char *path, Diags *d);
void kp_free(KpScheme *s);

/* Overrides a param: "NAME=VALUE", checked against the param's type. */
bool kp_set_param(KpScheme *s, const char *assignment, Diags *d);

/* Loads the tables from dir and computes every value and grade: kp_load,
** then kp_compute. */
bool kp_run(KpScheme *s, const char *dir, Diags *d);
bool kp_load(KpScheme *s, const char *dir, Diags *d);
bool kp_compute(KpScheme *s, Diags *d);

/* Progress of a long run, for a caller that shows it: rows of a table read
** (every 65,536 rows and at the end of each file), values computed (after
** each), persons explained (every 4,096 and at the end). */
typedef enum { KP_PROGRESS_READ, KP_PROGRESS_COMPUTE, KP_PROGRESS_EXPLAIN } KpProgressStage;
typedef struct KpProgress {
    KpProgressStage stage;
    const char *file;     /* READ: the CSV file's name */
    uint64_t rows;        /* READ: rows read so far */
    uint64_t persons;     /* COMPUTE: persons assessed; EXPLAIN: persons explained */
    uint64_t done, total; /* COMPUTE: values computed of all; EXPLAIN: persons of all */
} KpProgress;
typedef void (*KpProgressFn)(void *ctx, const KpProgress *p);
void kp_set_progress(KpScheme *s, KpProgressFn fn, void *ctx);

/* Writes the results of a successful kp_run. Runtime errors found while
** writing (none are expected: all values are computed by kp_run) and write
** errors return false. */
bool kp_write(KpScheme *s, FILE *f, KpFormat fmt, Diags *d);

/* ---- explanations (公示, 复核) ---- */

typedef enum { KP_LANG_ZH, KP_LANG_EN } KpLang;

/* Keeps every computed value after the run, which explanations read; call
** before kp_run. Costs memory for the intermediate values a run frees. */
void kp_keep_values(KpScheme *s);
/* After kp_load: whether an assessed person has key id; when none has,
** reports "--id: error: ..." (with the nearest key as a suggestion). */
bool kp_has_person(KpScheme *s, const char *id, Diags *d);
/* After kp_run with kp_keep_values: how the result of person id came about,
** as text in lang, or as one line of JSON (exactly the line
** kp_write_explanations writes for this person). malloc'd; NULL on errors. */
char *kp_explain(KpScheme *s, const char *id, KpLang lang, bool json, Diags *d);
/* After kp_run with kp_keep_values: one JSON object per line for every
** assessed person, sorted by key. False on errors (reported) or a write
** error (errno set). */
bool kp_write_explanations(KpScheme *s, FILE *f, KpLang lang, Diags *d);

#endif
