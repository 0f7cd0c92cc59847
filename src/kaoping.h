/*
** kaoping.h — the library's public interface. The library never prints and
** never exits: problems come back as diagnostics, and main.c decides what to
** show and which exit status to use.
*/
#ifndef KAOPING_H
#define KAOPING_H

#include <stdbool.h>
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

/* Loads the tables from dir and computes every value and grade. */
bool kp_run(KpScheme *s, const char *dir, Diags *d);

/* Writes the results of a successful kp_run. Runtime errors found while
** writing (none are expected: all values are computed by kp_run) and write
** errors return false. */
bool kp_write(KpScheme *s, FILE *f, KpFormat fmt, Diags *d);

/* Formats a rule file in the canonical layout (docs/language.md, "格式化").
** Reads it from in when in is not NULL (path then only names it), else from
** path. Returns the formatted text (malloc'd, caller frees; *len bytes) and
** sets *changed when it differs from the input. Returns NULL when the file
** cannot be read or has syntax errors, reported in d. Imports are not
** followed and names are not resolved: only the syntax must be right. */
char *kp_format(const char *path, FILE *in, size_t *len, bool *changed, Diags *d);

#endif
