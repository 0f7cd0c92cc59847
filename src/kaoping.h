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

typedef enum { KP_DOC_MARKDOWN, KP_DOC_HTML } KpDocFormat;
typedef enum { KP_LANG_ZH, KP_LANG_EN } KpLang;

/* Writes the scheme as a readable document (考核实施细则): params with their
** effective values (after kp_set_param), tables, groups, the indicator tree
** with weights, items, adjustments, vetoes, grade rules and definitions.
** Headings and fixed phrases in lang. Returns false when writing to f failed. */
bool kp_doc(KpScheme *s, FILE *f, KpDocFormat fmt, KpLang lang);

#endif
