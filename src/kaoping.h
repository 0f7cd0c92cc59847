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
/* Compiles a second scheme beside base, to compare the two on the same data
** (kp_run_both): text is interned in base's table, so a value means the same
** id in both. base must be freed after the returned scheme. */
KpScheme *kp_compile_beside(const char *path, KpScheme *base, Diags *d);
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

/* Runs two schemes on the same data, read once: b (compiled beside a) must
** declare the same tables as a, or the first difference is reported with
** both places. Each CSV file is read and parsed once; the aggregates of both
** schemes are folded in that one pass, and b's tables share a's storage. */
bool kp_run_both(KpScheme *a, KpScheme *b, const char *dir, Diags *d);

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

/* ---- coverage: which rules fired, for how many persons (coverage.c) ---- */

typedef struct KpCoverItem {
    char *path; /* where the item is written */
    unsigned line, col;
    char *label;     /* e.g. "加分 表彰奖励", "指标 业务 当 category == \"检察官\"" */
    long long count; /* persons it fired for */
} KpCoverItem;

typedef struct KpCoverage {
    KpCoverItem *items; /* in the order they are written */
    int n;
    long long persons; /* persons evaluated */
} KpCoverage;

/* After a successful kp_run: every rule item of the scheme (each variant of
** an indicator, bonus, penalty, adjustment, veto, grade rule and override)
** with the number of persons it fired for: the variant taken, the item
** nonzero, the adjustment's condition true, the veto fired, the grade given
** by that rule (not by a veto or an override). Items declared inside a test
** are left out. */
bool kp_coverage(KpScheme *s, KpCoverage *c);
/* Keeps the data tables' columns after the run, which kp_coverage reads
** (a run frees each once the values that read it are computed); call
** before kp_run. */
void kp_keep_columns(KpScheme *s);
void kp_coverage_free(KpCoverage *c);

/* ---- tests written in rule files (testrun.c) ---- */

typedef struct KpTestReport {
    int passed, failed; /* tests */
    int expectations;   /* checked, over all tests */
    char **lines;       /* one per failed expectation or stopped test */
    int nlines;
    KpCoverage coverage; /* with coverage: summed over the tests of the file */
} KpTestReport;

/* Runs every test written in the rule file at path (not those of its
** imports), each on the scheme compiled afresh with the test's declarations
** and rows. When the scheme or a test does not compile (names, types, rows
** that do not load), the errors go to d, each once, and no test runs; an
** error while a test runs goes to d and fails that test. Returns false when
** anything did not compile; rep (zeroed by the caller) says what passed. */
bool kp_test_file(const char *path, bool coverage, KpTestReport *rep, Diags *d);
void kp_test_report_free(KpTestReport *rep);

/* Compiles every test of the rule file, as kp_test_file does, without
** running them: what `check` reports about tests. Errors go to d, each once. */
bool kp_check_tests(const char *path, Diags *d);

/* ---- formatting (fmt.c) ---- */

/* Formats a rule file in the canonical layout (docs/language.md, "格式化").
** Reads it from in when in is not NULL (path then only names it), else from
** path. Returns the formatted text (malloc'd, caller frees; *len bytes) and
** sets *changed when it differs from the input. Returns NULL when the file
** cannot be read or has syntax errors, reported in d. Imports are not
** followed and names are not resolved: only the syntax must be right. */
char *kp_format(const char *path, FILE *in, size_t *len, bool *changed, Diags *d);

/* ---- explanations (公示, 复核) ---- */

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
/* ---- kaoping diff: the comparison of two runs (diff.c) ---- */

typedef struct KpDiff KpDiff;

typedef enum { KP_DIFF_TEXT, KP_DIFF_CSV, KP_DIFF_JSON, KP_DIFF_HTML } KpDiffFormat;

typedef struct KpDiffInfo {
    const char *old_path, *new_path; /* the scheme files, as given */
    const char *const *sets;         /* NAME=VALUE overrides applied to the new side */
    int nsets;
    int top; /* persons, movements and units listed in the summary */
} KpDiffInfo;

/* Compares the results of kp_run_both(old, new): grade changes, the
** transition matrix, grades per unit and each person's causes. Both schemes
** must outlive the diff. */
KpDiff *kp_diff(KpScheme *old, KpScheme *new_, const KpDiffInfo *info, Diags *d);
/* Writes the comparison: a terminal summary, CSV or JSON (one row per
** person), or a self-contained HTML report. False on a write error. */
bool kp_diff_write(KpDiff *df, FILE *f, KpDiffFormat fmt);
void kp_diff_free(KpDiff *df);

#endif
