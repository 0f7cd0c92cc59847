/*
** main.c — the command line: arguments, files, diagnostics on stderr and
** exit statuses (0 ok, 1 errors in the scheme or the data, 2 bad usage).
*/
#include "kaoping.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_main[] =
    "Usage: kaoping COMMAND [ARGS]\n"
    "\n"
    "kaoping (考评) checks and evaluates personnel appraisal schemes written in\n"
    "the kaoping rule language.\n"
    "\n"
    "Commands:\n"
    "  check SCHEME...              parse, resolve and type-check; report problems\n"
    "  run SCHEME --data DIR        evaluate the scheme on DIR/<table>.csv\n"
    "  doc SCHEME                   the scheme as a readable document (Markdown or HTML)\n"
    "  test SCHEME...               run the tests written in the rule files\n"
    "  fmt [-w|--check] FILE...     lay rule files out in the canonical layout\n"
    "  diff OLD [NEW] --data DIR    compare two versions (or one with --set) on the same data\n"
    "  explain SCHEME --data DIR --id ID\n"
    "                               how one person's result came about\n"
    "\n"
    "Options:\n"
    "  -h, --help                   show this help (also: kaoping COMMAND --help)\n"
    "  -V, --version                show the version\n";

static const char usage_check[] =
    "Usage: kaoping check SCHEME...\n"
    "\n"
    "Parses, resolves and type-checks each scheme and its imports, and reports\n"
    "every error and warning as path:line:col with the source line. The tests\n"
    "written in the scheme are compiled too (names, types, rows), not run.\n"
    "Exit status: 0 when there are no errors, 1 when there are, 2 on bad usage.\n";

static const char usage_run[] =
    "Usage: kaoping run SCHEME --data DIR [--set NAME=VALUE]... [-o FILE] [--coverage]\n"
    "                  [--explain FILE.jsonl [--lang zh|en]]\n"
    "\n"
    "Loads every table the scheme declares from DIR/<table>.csv, evaluates the\n"
    "scheme and writes one row per assessed person, sorted by key.\n"
    "\n"
    "Options:\n"
    "  --data DIR          directory of the CSV files (required)\n"
    "  --set NAME=VALUE    override a param, e.g. --set 优秀比例=25%\n"
    "  -o, --output FILE   write to FILE instead of standard output; the format\n"
    "                      follows the extension: .csv or .json\n"
    "  --format csv|json   format of standard output (default csv)\n"
    "  --coverage          after the results, print to standard error how many\n"
    "                      persons each rule item fired for (variants, items,\n"
    "                      adjustments, vetoes, grade rules)\n"
    "  --explain FILE      also write, for every person, how the result came about:\n"
    "                      one JSON object per line (JSON Lines), sorted by key,\n"
    "                      the same facts as 'kaoping explain' (for 公示 and 复核)\n"
    "  --lang zh|en        language of the explanations' summary (default zh)\n"
    "Exit status: 0 on success, 1 on errors in the scheme or the data, 2 on bad usage.\n"
    "A failed run never leaves a partial output file. On a terminal, the rows read\n"
    "and the values computed are shown on standard error as the run goes.\n";

static const char usage_explain[] =
    "Usage: kaoping explain SCHEME --data DIR --id ID [--set NAME=VALUE]...\n"
    "                      [--lang zh|en] [--format text|json]\n"
    "\n"
    "Evaluates the scheme on DIR/<table>.csv like 'run' (ranks and quotas need\n"
    "everyone), then tells how the result of the person with key ID came about:\n"
    "each indicator with the inputs it read, its weight and what it adds to its\n"
    "parent, the variant taken, bonus and penalty items and their caps,\n"
    "adjustments, every veto and eligibility condition and whether it held, the\n"
    "person's rank, the quotas of the grading group and why the person got the\n"
    "grade. Every line that comes from a rule names its file:line.\n"
    "\n"
    "Options:\n"
    "  --data DIR          directory of the CSV files (required)\n"
    "  --id ID             the person's key (required)\n"
    "  --set NAME=VALUE    override a param, as for 'run'\n"
    "  --lang zh|en        plain Chinese (default) or English\n"
    "  --format text|json  text (default), or the person's line of 'run --explain'\n"
    "Exit status: 0 on success, 1 on errors in the scheme or the data or an\n"
    "unknown ID, 2 on bad usage.\n";

static const char usage_diff[] =
    "Usage: kaoping diff OLD.kp [NEW.kp] --data DIR [--set NAME=VALUE]... [-o FILE]\n"
    "\n"
    "Evaluates two versions of a scheme on the same data and compares them,\n"
    "person by person: who changes grade, the transition matrix (old x new),\n"
    "each unit's grades before and after, the largest movements of the total,\n"
    "and for each person who changes grade the causes, largest first: vetoes,\n"
    "eligibility, grade conditions, quota position, and the change of each\n"
    "indicator (weighted as in the total), bonus, penalty and adjustment.\n"
    "The data is read once. With one scheme, the new version is the same scheme\n"
    "with the --set overrides; with two, --set applies to NEW. Both schemes must\n"
    "declare the same tables (names, keys, columns and their types).\n"
    "\n"
    "Options:\n"
    "  --data DIR          directory of the CSV files (required)\n"
    "  --set NAME=VALUE    override a param of the new version, e.g. --set 优秀比例=25%\n"
    "  -o, --output FILE   write to FILE; the format follows the extension:\n"
    "                      .txt  the summary shown on the terminal\n"
    "                      .csv  one row per person: totals, grades, ranks, vetoes\n"
    "                            before and after, and each item's change\n"
    "                      .json the same and the summary, structured\n"
    "                      .html a self-contained report with charts\n"
    "  --format FMT        text, csv, json or html (default text)\n"
    "  --top N             persons, movements and units listed in the summary\n"
    "                      (default 20)\n"
    "Exit status: 0 on success, 1 on errors in the schemes or the data, 2 on bad usage.\n"
    "A failed diff never leaves a partial output file.\n";

static const char usage_doc[] =
    "Usage: kaoping doc SCHEME [-o FILE.md|FILE.html] [--lang zh|en] [--set NAME=VALUE]...\n"
    "\n"
    "Writes the scheme as the document staff publish (考核实施细则): its name and\n"
    "version, params with their values, data tables, groups, the indicator tree\n"
    "with weights and effective weights, bonus and penalty items with their caps,\n"
    "adjustments, vetoes, grade rules and the definitions used. Markdown on\n"
    "standard output unless -o says otherwise.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   write to FILE: .md for Markdown, .html for one\n"
    "                      self-contained HTML page\n"
    "  --format md|html    format of standard output (default md)\n"
    "  --lang zh|en        language of headings and fixed phrases (default zh);\n"
    "                      names from the scheme stay as written\n"
    "  --set NAME=VALUE    show a param's value as overridden, as run would use it\n"
    "Exit status: 0 on success, 1 on errors in the scheme, 2 on bad usage.\n"
    "A failed doc never leaves a partial output file.\n";
static const char usage_test[] =
    "Usage: kaoping test [--coverage] SCHEME...\n"
    "\n"
    "Runs the tests written in each rule file (test \"name\" { ... }): every test\n"
    "is compiled afresh with its own rows, run, and its expectations checked.\n"
    "Prints a line for each expectation that does not hold, then\n"
    "\"N passed, N failed\", counting tests.\n"
    "\n"
    "Options:\n"
    "  --coverage   for each file, also list the rule items that no test exercised\n"
    "Exit status: 0 when every test passed, 1 when a test failed or did not\n"
    "compile, 2 on bad usage.\n";
static const char usage_fmt[] =
    "Usage: kaoping fmt [-w | --check] [FILE...]\n"
    "\n"
    "Lays each rule file out in the canonical layout: indentation, spacing,\n"
    "blank lines, aligned weight columns and trailing comments. Only white space\n"
    "changes; tokens, their spelling, their order and every comment stay.\n"
    "A file with syntax errors is reported and left alone. With no FILE, or\n"
    "FILE '-', the text is read from standard input.\n"
    "\n"
    "Options:\n"
    "  (none)        write the formatted text to standard output\n"
    "  -w, --write   rewrite each file that changes, in place\n"
    "  --check       list the files whose layout would change, one per line\n"
    "Exit status: 0 on success, 1 on errors (or, with --check, when a file would\n"
    "change), 2 on bad usage.\n";

/* Results are fully buffered (a terminal would otherwise take a write per
** line) in stdio's own buffer: output.c hands over 64 KiB blocks, which
** write() takes as they are. A 1 MiB buffer measured slower: copying into
** memory that has left the cache costs more than the calls it saves. */
#define OUTPUT_BUFFER BUFSIZ

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kaoping: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'kaoping %s--help'.\n", cmd);
    return 2;
}

static void print_diags(Diags *d)
{
    char *text = diags_render(d);
    if (text) fputs(text, stderr);
    free(text);
    if (diags_too_many(d))
        fprintf(stderr, "kaoping: too many errors; stopped after %zu\n", d->nerrors);
}

/* Diagnostics as every command collects them: at most 20 errors. */
static void begin_diags(Diags *d)
{
    diags_init(d);
    d->max_errors = 20;
}

static int cmd_check(int argc, char **argv)
{
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_check, stdout);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return usage_error("check ", "unknown option '%s'", argv[i]);
        nfiles++;
    }
    if (!nfiles) return usage_error("check ", "%s", "no scheme given");
    for (int i = 0; i < argc; i++) {
        Diags d;
        begin_diags(&d);
        KpScheme *s = kp_compile(argv[i], &d);
        if (s) kp_check_tests(argv[i], &d);
        print_diags(&d);
        if (d.nerrors) status = 1;
        kp_free(s);
        diags_free(&d);
    }
    return status;
}

typedef struct CmdArgs {
    const char *scheme, *data, *out, *format, *lang, *explain_out, *id;
    const char *scheme2, *top; /* diff: the new version, and --top */
    const char **sets;
    int nsets;
    bool coverage;
} CmdArgs;

/* What a command accepts beside --format and --set. */
enum {
    OPT_DATA = 1,
    OPT_LANG = 2,
    OPT_COVERAGE = 4,
    OPT_EXPLAIN = 8, /* --explain FILE.jsonl */
    OPT_ID = 16,     /* --id: the person to explain */
    OPT_NO_OUT = 32, /* no -o: the output is standard output */
    OPT_TWO = 64,    /* a second scheme (diff's NEW.kp) */
    OPT_TOP = 128    /* --top N */
};

typedef struct Command {
    const char *name;  /* "run " or "doc ": as the messages quote it */
    const char *usage; /* its --help */
    const char *one;   /* how many schemes it takes: "one scheme per run" */
    unsigned opts;
} Command;

/* NAME=VALUE with a name; whether the param exists is checked against the scheme. */
static bool valid_set(const char *s)
{
    const char *eq = strchr(s, '=');
    return eq && eq != s;
}

static int add_set(const Command *cmd, CmdArgs *a, const char *value)
{
    if (!valid_set(value))
        return usage_error(cmd->name, "--set expects NAME=VALUE, got '%s'", value);
    a->sets[a->nsets++] = value;
    return 0;
}

/* The slot an option fills, or NULL when the command has no such option. */
static const char **option_slot(const Command *cmd, CmdArgs *a, const char *name, size_t len)
{
#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
    if ((IS("-o") || IS("--output")) && !(cmd->opts & OPT_NO_OUT)) return &a->out;
    if (IS("--format")) return &a->format;
    if (IS("--data") && (cmd->opts & OPT_DATA)) return &a->data;
    if (IS("--lang") && (cmd->opts & OPT_LANG)) return &a->lang;
    if (IS("--explain") && (cmd->opts & OPT_EXPLAIN)) return &a->explain_out;
    if (IS("--id") && (cmd->opts & OPT_ID)) return &a->id;
    if (IS("--top") && (cmd->opts & OPT_TOP)) return &a->top;
#undef IS
    return NULL;
}

/* Returns 0, 2 after a usage error, or -1 after --help. */
static int parse_args(const Command *cmd, int argc, char **argv, CmdArgs *a)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(cmd->usage, stdout);
            return -1;
        }
        if (!strcmp(arg, "--coverage") && (cmd->opts & OPT_COVERAGE)) {
            a->coverage = true;
            continue;
        }
        if (arg[0] != '-' || !arg[1]) {
            if (a->scheme && (cmd->opts & OPT_TWO) && !a->scheme2) {
                a->scheme2 = arg;
                continue;
            }
            if (a->scheme)
                return usage_error(cmd->name, "unexpected argument '%s' (%s)", arg, cmd->one);
            a->scheme = arg;
            continue;
        }
        /* --name=value, or --name value */
        const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        bool set = len == 5 && !strncmp(arg, "--set", 5);
        const char **slot = set ? NULL : option_slot(cmd, a, arg, len);
        if (!set && !slot) return usage_error(cmd->name, "unknown option '%s'", arg);
        const char *value = eq ? eq + 1 : NULL;
        if (!eq) {
            if (i + 1 >= argc) return usage_error(cmd->name, "option '%s' needs a value", arg);
            value = argv[++i];
        }
        if (set) {
            if (add_set(cmd, a, value)) return 2;
        } else {
            *slot = value;
        }
    }
    if (!a->scheme) return usage_error(cmd->name, "%s", "no scheme given");
    if ((cmd->opts & OPT_DATA) && !a->data)
        return usage_error(cmd->name, "%s", "missing --data DIR");
    if ((cmd->opts & OPT_ID) && !a->id)
        return usage_error(cmd->name, "%s", "missing --id ID (the person to explain)");
    if (a->out && a->explain_out && !strcmp(a->out, a->explain_out))
        return usage_error(cmd->name, "-o and --explain name the same file '%s'", a->out);
    return 0;
}

/* A command's arguments: --set slots for every argument, then parse_args. */
static int begin_args(const Command *cmd, int argc, char **argv, CmdArgs *a)
{
    a->sets = calloc((size_t)argc + 1, sizeof(char *));
    return parse_args(cmd, argc, argv, a);
}

static int run_format(const CmdArgs *a, KpFormat *fmt)
{
    *fmt = KP_FORMAT_CSV;
    const char *f = a->format;
    if (!f && a->out) {
        const char *dot = strrchr(a->out, '.');
        if (!dot || (strcmp(dot, ".csv") && strcmp(dot, ".json")))
            return usage_error("run ", "cannot tell the output format of '%s' (use .csv or .json)",
                               a->out);
        f = dot + 1;
    }
    if (!f || !strcmp(f, "csv")) return 0;
    if (!strcmp(f, "json")) {
        *fmt = KP_FORMAT_JSON;
        return 0;
    }
    return usage_error("run ", "unknown format '%s' (expected csv or json)", f);
}

/* What to write: a run's results, a scheme's document or a comparison. */
typedef struct Emitter {
    KpScheme *s;
    Diags *d;
    KpDiff *diff; /* a comparison, written in diff_fmt */
    KpDiffFormat diff_fmt;
    bool doc;
    KpFormat fmt;
    KpDocFormat doc_fmt;
    KpLang lang;
} Emitter;

static bool emit(const Emitter *e, FILE *f)
{
    if (e->diff) return kp_diff_write(e->diff, f, e->diff_fmt);
    return e->doc ? kp_doc(e->s, f, e->doc_fmt, e->lang) : kp_write(e->s, f, e->fmt, e->d);
}

/* Writes to a temporary file beside the target and renames it, so a failed
** run never leaves a half-written result. */
static int write_output(const Emitter *e, const char *out)
{
    if (!out) {
        setvbuf(stdout, NULL, _IOFBF, OUTPUT_BUFFER);
        bool ok = emit(e, stdout) && fflush(stdout) == 0;
        if (!ok && !e->d->nerrors)
            fprintf(stderr, "kaoping: cannot write to standard output: %s\n", strerror(errno));
        return ok ? 0 : 1;
    }
    size_t n = strlen(out) + 16;
    char *tmp = malloc(n);
    snprintf(tmp, n, "%s.tmp.XXXXXX", out);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "kaoping: cannot write '%s': %s\n", out, strerror(errno));
        if (fd >= 0) close(fd), unlink(tmp);
        free(tmp);
        return 1;
    }
    setvbuf(f, NULL, _IOFBF, OUTPUT_BUFFER);
    bool ok = emit(e, f);
    int err = errno;
    if (fclose(f) != 0 && ok) ok = false, err = errno;
    if (ok && rename(tmp, out) != 0) ok = false, err = errno;
    if (!ok) {
        unlink(tmp);
        if (!e->d->nerrors) fprintf(stderr, "kaoping: cannot write '%s': %s\n", out, strerror(err));
    }
    free(tmp);
    return ok ? 0 : 1;
}

/* Compiles the scheme and applies --set; NULL (diagnostics in d) on errors. */
static KpScheme *compile_with_sets(const CmdArgs *a, Diags *d)
{
    KpScheme *s = kp_compile(a->scheme, d);
    bool ok = s != NULL;
    for (int i = 0; s && i < a->nsets; i++)
        if (!kp_set_param(s, a->sets[i], d)) ok = false;
    if (ok) return s;
    kp_free(s);
    return NULL;
}

static const Command run_cmd = {"run ", usage_run, "one scheme per run",
                                OPT_DATA | OPT_COVERAGE | OPT_EXPLAIN | OPT_LANG};
/* 1842 -> "1,842" */
static const char *grouped(long long n, char *buf, size_t cap)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t k = 0;
    if (n < 0 && k + 1 < cap) buf[k++] = '-';
    for (int i = 0; i < len && k + 2 < cap; i++) {
        if (i && (len - i) % 3 == 0) buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = 0;
    return buf;
}

/* After a run: how many persons each rule item fired for. */
static void print_run_coverage(KpScheme *s)
{
    KpCoverage c;
    if (!kp_coverage(s, &c)) return;
    char total[32], count[32];
    int never = 0;
    for (int i = 0; i < c.n; i++)
        never += c.items[i].count == 0;
    fprintf(stderr, "coverage: %d rule items on %s persons, %d never fired\n", c.n,
            grouped(c.persons, total, sizeof total), never);
    for (int i = 0; i < c.n; i++) {
        KpCoverItem *it = &c.items[i];
        fprintf(stderr, "%s:%u:%u: %s: %s of %s persons\n", it->path, it->line, it->col, it->label,
                grouped(it->count, count, sizeof count), total);
    }
    kp_coverage_free(&c);
}

static KpLang run_lang(const CmdArgs *a)
{
    return a->lang && !strcmp(a->lang, "en") ? KP_LANG_EN : KP_LANG_ZH;
}

/* ---- progress on a terminal ---- */

typedef struct Progress {
    bool zh;
    bool shown; /* a progress line is on the terminal */
    KpProgressStage stage;
    char file[256];
    struct timespec last;
} Progress;

/* One line, rewritten in place (\r), at most ten times a second, except that
** a new stage or file is always shown. */
static void show_progress(void *ctx, const KpProgress *p)
{
    Progress *pr = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double since =
        (double)(now.tv_sec - pr->last.tv_sec) + (double)(now.tv_nsec - pr->last.tv_nsec) / 1e9;
    bool fresh = !pr->shown || p->stage != pr->stage ||
                 (p->file && strncmp(p->file, pr->file, sizeof pr->file - 1));
    if (!fresh && since < 0.1) return;
    pr->last = now;
    pr->stage = p->stage;
    snprintf(pr->file, sizeof pr->file, "%s", p->file ? p->file : "");
    char a[40], b[40];
    fputs("\r\033[K", stderr);
    if (p->stage == KP_PROGRESS_READ)
        fprintf(stderr, pr->zh ? "读取 %s: %s 行" : "reading %s: %s rows", p->file,
                grouped((long long)p->rows, a, sizeof a));
    else if (p->stage == KP_PROGRESS_COMPUTE)
        fprintf(stderr, pr->zh ? "计算: %s 人 (%llu/%llu)" : "computing: %s persons (%llu/%llu)",
                grouped((long long)p->persons, a, sizeof a), (unsigned long long)p->done,
                (unsigned long long)p->total);
    else
        fprintf(stderr, pr->zh ? "解释: %s/%s 人" : "explaining: %s/%s persons",
                grouped((long long)p->done, a, sizeof a),
                grouped((long long)p->total, b, sizeof b));
    pr->shown = true;
}

static void end_progress(Progress *pr)
{
    if (pr->shown) fputs("\r\033[K", stderr);
    pr->shown = false;
}

/* ---- writing files whole or not at all ---- */

/* A result written to a temporary file beside its target, renamed into place
** only when everything was written. */
typedef struct OutFile {
    const char *path;
    char *tmp;
    FILE *f;
} OutFile;

static bool out_open(OutFile *o, const char *path)
{
    size_t n = strlen(path) + 16;
    o->path = path;
    o->tmp = malloc(n);
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    /* mkstemp makes the file private; a result is a file like any other */
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0) fchmod(fd, 0666 & ~mask);
    o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (o->f) {
        setvbuf(o->f, NULL, _IOFBF, OUTPUT_BUFFER);
        return true;
    }
    fprintf(stderr, "kaoping: cannot write '%s': %s\n", path, strerror(errno));
    if (fd >= 0) close(fd), unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return false;
}

/* Closes the file; false (and a message unless the library reported one)
** when writing failed. */
static bool out_close(OutFile *o, bool ok, const Diags *d)
{
    int err = errno;
    if (fclose(o->f) != 0 && ok) ok = false, err = errno;
    o->f = NULL;
    if (!ok && !d->nerrors)
        fprintf(stderr, "kaoping: cannot write '%s': %s\n", o->path, strerror(err));
    return ok;
}

/* Renames the temporary file into place (ok), or removes it. */
static bool out_finish(OutFile *o, bool ok)
{
    if (!o->tmp) return ok;
    if (ok && rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "kaoping: cannot write '%s': %s\n", o->path, strerror(errno));
        ok = false;
    }
    if (!ok) unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return ok;
}

/* The explanations (--explain) and the results, each to a temporary file
** renamed at the end, so a failed run leaves neither. */
static int write_outputs(KpScheme *s, const CmdArgs *a, KpFormat fmt, Diags *d)
{
    OutFile ex = {0}, out = {0};
    bool ok = true;
    if (a->explain_out) {
        ok = out_open(&ex, a->explain_out);
        if (ok) ok = out_close(&ex, kp_write_explanations(s, ex.f, run_lang(a), d), d);
    }
    if (ok && a->out) {
        ok = out_open(&out, a->out);
        if (ok) ok = out_close(&out, kp_write(s, out.f, fmt, d), d);
    } else if (ok) {
        setvbuf(stdout, NULL, _IOFBF, OUTPUT_BUFFER);
        ok = kp_write(s, stdout, fmt, d) && fflush(stdout) == 0;
    }
    ok = out_finish(&out, ok);
    ok = out_finish(&ex, ok);
    return ok ? 0 : 1;
}

/* ---- run and explain ---- */

static int check_lang(const Command *cmd, const CmdArgs *a)
{
    if (a->lang && strcmp(a->lang, "zh") && strcmp(a->lang, "en"))
        return usage_error(cmd->name, "unknown language '%s' (expected zh or en)", a->lang);
    return 0;
}

/* Compiles the scheme, applies --set, and loads the data; NULL on errors. */
static KpScheme *prepare(const CmdArgs *a, bool explain, Diags *d, Progress *pr)
{
    KpScheme *s = compile_with_sets(a, d);
    if (!s) return NULL;
    if (isatty(STDERR_FILENO)) kp_set_progress(s, show_progress, pr);
    if (explain || a->explain_out) kp_keep_values(s);
    if (a->coverage) kp_keep_columns(s);
    if (!kp_load(s, a->data, d)) {
        kp_free(s);
        return NULL;
    }
    return s;
}

static int cmd_run(int argc, char **argv)
{
    CmdArgs a = {0};
    int st = begin_args(&run_cmd, argc, argv, &a);
    KpFormat fmt = KP_FORMAT_CSV;
    if (st == 0) st = check_lang(&run_cmd, &a);
    if (st == 0) st = run_format(&a, &fmt);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    begin_diags(&d);
    Progress pr = {.zh = run_lang(&a) == KP_LANG_ZH};
    KpScheme *s = prepare(&a, false, &d, &pr);
    int status = s && kp_compute(s, &d) ? write_outputs(s, &a, fmt, &d) : 1;
    end_progress(&pr);
    print_diags(&d);
    if (s && status == 0 && a.coverage) print_run_coverage(s);
    kp_free(s);
    diags_free(&d);
    free(a.sets);
    return status;
}

static const Command explain_cmd = {"explain ", usage_explain, "one scheme at a time",
                                    OPT_DATA | OPT_ID | OPT_LANG | OPT_NO_OUT};

static int cmd_explain(int argc, char **argv)
{
    CmdArgs a = {0};
    int st = begin_args(&explain_cmd, argc, argv, &a);
    if (st == 0) st = check_lang(&explain_cmd, &a);
    if (st == 0 && a.format && strcmp(a.format, "text") && strcmp(a.format, "json"))
        st = usage_error("explain ", "unknown format '%s' (expected text or json)", a.format);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    begin_diags(&d);
    Progress pr = {.zh = run_lang(&a) == KP_LANG_ZH};
    KpScheme *s = prepare(&a, true, &d, &pr);
    char *text = NULL;
    /* an unknown ID is told before the whole scheme is evaluated */
    if (s && kp_has_person(s, a.id, &d) && kp_compute(s, &d))
        text = kp_explain(s, a.id, run_lang(&a), a.format && !strcmp(a.format, "json"), &d);
    end_progress(&pr);
    if (text) fputs(text, stdout);
    print_diags(&d);
    int status = text && fflush(stdout) == 0 ? 0 : 1;
    free(text);
    kp_free(s);
    diags_free(&d);
    free(a.sets);
    return status;
}

static const Command doc_cmd = {"doc ", usage_doc, "one scheme per document", OPT_LANG};

static int doc_options(const CmdArgs *a, KpDocFormat *fmt, KpLang *lang)
{
    *fmt = KP_DOC_MARKDOWN;
    *lang = KP_LANG_ZH;
    const char *f = a->format;
    if (!f && a->out) {
        const char *dot = strrchr(a->out, '.');
        if (!dot || (strcmp(dot, ".md") && strcmp(dot, ".html")))
            return usage_error("doc ", "cannot tell the document format of '%s' (use .md or .html)",
                               a->out);
        f = dot + 1;
    }
    if (f && !strcmp(f, "html"))
        *fmt = KP_DOC_HTML;
    else if (f && strcmp(f, "md"))
        return usage_error("doc ", "unknown format '%s' (expected md or html)", f);
    if (a->lang && !strcmp(a->lang, "en"))
        *lang = KP_LANG_EN;
    else if (a->lang && strcmp(a->lang, "zh"))
        return usage_error("doc ", "unknown language '%s' (expected zh or en)", a->lang);
    return 0;
}

static int cmd_doc(int argc, char **argv)
{
    CmdArgs a = {0};
    Emitter e = {.doc = true};
    int st = begin_args(&doc_cmd, argc, argv, &a);
    if (st == 0) st = doc_options(&a, &e.doc_fmt, &e.lang);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    begin_diags(&d);
    e.d = &d;
    e.s = compile_with_sets(&a, &d);
    /* Warnings are shown as check shows them; the document is written all the same. */
    print_diags(&d);
    int status = e.s ? write_output(&e, a.out) : 1;
    kp_free(e.s);
    diags_free(&d);
    free(a.sets);
    return status;
}

/* The rule items that no test of the file exercised. */
static void print_test_coverage(const char *path, const KpCoverage *c, int ntests)
{
    int never = 0;
    for (int i = 0; i < c->n; i++)
        never += c->items[i].count == 0;
    if (!c->n) {
        printf("coverage of %s: no rule items (no variants, items, vetoes or grades)\n", path);
        return;
    }
    printf("coverage of %s: %d of %d rule items exercised by its %d test%s\n", path, c->n - never,
           c->n, ntests, ntests == 1 ? "" : "s");
    for (int i = 0; i < c->n; i++) {
        const KpCoverItem *it = &c->items[i];
        if (!it->count)
            printf("%s:%u:%u: never exercised: %s\n", it->path, it->line, it->col, it->label);
    }
}

static int cmd_test(int argc, char **argv)
{
    bool coverage = false;
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(usage_test, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--coverage"))
            coverage = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error("test ", "unknown option '%s'", argv[i]);
        else
            nfiles++;
    }
    if (!nfiles) return usage_error("test ", "%s", "no scheme given");
    int passed = 0, failed = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--coverage")) continue;
        Diags d;
        begin_diags(&d);
        KpTestReport rep = {0};
        bool compiled = kp_test_file(argv[i], coverage, &rep, &d);
        if (!compiled) status = 1;
        /* Diagnostics first: a stopped test's line refers to the error above. */
        print_diags(&d);
        for (int k = 0; k < rep.nlines; k++)
            puts(rep.lines[k]);
        if (coverage && compiled)
            print_test_coverage(argv[i], &rep.coverage, rep.passed + rep.failed);
        fflush(stdout);
        passed += rep.passed;
        failed += rep.failed;
        kp_test_report_free(&rep);
        diags_free(&d);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return status || failed ? 1 : 0;
}

/* Replaces path by text through a temporary file in the same directory, so a
** reader sees the old file or the new one and never a part; the file keeps
** its permissions, and a symbolic link keeps pointing at the rewritten file. */
static bool rewrite_file(const char *path, const char *text, size_t len)
{
    char *target = realpath(path, NULL);
    const char *dest = target ? target : path;
    struct stat st;
    bool have_mode = stat(dest, &st) == 0;
    size_t n = strlen(dest) + 16;
    char *tmp = malloc(n);
    snprintf(tmp, n, "%s.tmp.XXXXXX", dest);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = f != NULL;
    int err = errno;
    if (ok && have_mode && fchmod(fd, st.st_mode & 07777) != 0) ok = false, err = errno;
    if (ok && fwrite(text, 1, len, f) != len) ok = false, err = errno;
    if (f && fclose(f) != 0 && ok) ok = false, err = errno;
    if (!f && fd >= 0) close(fd);
    if (ok && rename(tmp, dest) != 0) ok = false, err = errno;
    if (!ok) {
        if (fd >= 0) unlink(tmp);
        fprintf(stderr, "kaoping: cannot write '%s': %s\n", path, strerror(err));
    }
    free(tmp);
    free(target);
    return ok;
}

typedef enum { FMT_PRINT, FMT_WRITE, FMT_CHECK } FmtMode;

/* Formats one file ("-": standard input); returns the exit status for it. */
static int fmt_one(const char *path, FmtMode mode)
{
    bool from_stdin = !strcmp(path, "-");
    Diags d;
    begin_diags(&d);
    size_t len = 0;
    bool changed = false;
    char *text =
        kp_format(from_stdin ? "<stdin>" : path, from_stdin ? stdin : NULL, &len, &changed, &d);
    print_diags(&d);
    diags_free(&d);
    int status = text ? 0 : 1;
    if (text && mode == FMT_PRINT && fwrite(text, 1, len, stdout) != len) status = 1;
    if (text && mode == FMT_CHECK && changed) {
        printf("%s\n", from_stdin ? "<stdin>" : path);
        status = 1;
    }
    if (text && mode == FMT_WRITE && changed && !rewrite_file(path, text, len)) status = 1;
    free(text);
    return status;
}

static int cmd_fmt(int argc, char **argv)
{
    FmtMode mode = FMT_PRINT;
    int nfiles = 0;
    bool reads_stdin = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage_fmt, stdout);
            return 0;
        }
        FmtMode m = !strcmp(a, "-w") || !strcmp(a, "--write") ? FMT_WRITE
                    : !strcmp(a, "--check")                   ? FMT_CHECK
                                                              : FMT_PRINT;
        if (m != FMT_PRINT) {
            if (mode != FMT_PRINT && mode != m)
                return usage_error("fmt ", "%s", "-w and --check cannot be used together");
            mode = m;
            argv[i] = NULL;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("fmt ", "unknown option '%s'", a);
        } else {
            nfiles++;
            reads_stdin |= !strcmp(a, "-");
        }
    }
    if (mode == FMT_WRITE && (reads_stdin || !nfiles))
        return usage_error("fmt ", "%s", "-w needs files to rewrite, not standard input");
    if (!nfiles) return fmt_one("-", mode);
    int status = 0;
    for (int i = 0; i < argc; i++)
        if (argv[i] && fmt_one(argv[i], mode) != 0) status = 1;
    if (fflush(stdout) != 0) status = 1;
    return status;
}

/* ---- diff ---- */

static const Command diff_cmd = {"diff ", usage_diff,
                                 "diff compares two schemes, or one with --set",
                                 OPT_DATA | OPT_TWO | OPT_TOP};

static int diff_format(const CmdArgs *a, KpDiffFormat *fmt)
{
    static const char *const names[] = {"text", "csv", "json", "html"};
    static const char *const exts[] = {".txt", ".csv", ".json", ".html"};
    const char *f = a->format;
    *fmt = KP_DIFF_TEXT;
    if (!f && a->out) {
        const char *dot = strrchr(a->out, '.');
        for (int i = 0; dot && i < 4; i++)
            if (!strcmp(dot, exts[i])) {
                *fmt = (KpDiffFormat)i;
                return 0;
            }
        return usage_error("diff ",
                           "cannot tell the output format of '%s' (use .txt, .csv, .json or .html)",
                           a->out);
    }
    for (int i = 0; f && i < 4; i++)
        if (!strcmp(f, names[i])) {
            *fmt = (KpDiffFormat)i;
            return 0;
        }
    if (f) return usage_error("diff ", "unknown format '%s' (expected text, csv, json or html)", f);
    return 0;
}

/* The second version: another scheme compiled beside the first, or the same
** file again (its warnings were shown once already). */
static KpScheme *compile_new(const CmdArgs *a, KpScheme *old, Diags *d)
{
    const char *path = a->scheme2 ? a->scheme2 : a->scheme;
    if (strcmp(path, a->scheme) != 0) return kp_compile_beside(path, old, d);
    Diags quiet;
    diags_init(&quiet);
    KpScheme *s = kp_compile_beside(path, old, &quiet);
    diags_free(&quiet);
    return s;
}

static int diff_args(int argc, char **argv, CmdArgs *a, KpDiffFormat *fmt, int *top)
{
    int st = begin_args(&diff_cmd, argc, argv, a);
    if (st) return st;
    if (!a->scheme2 && !a->nsets)
        return usage_error("diff ", "%s",
                           "nothing to compare: give a second scheme, or --set NAME=VALUE");
    if (diff_format(a, fmt)) return 2;
    char *end = NULL;
    long n = a->top ? strtol(a->top, &end, 10) : 20;
    if (a->top && (*end || n < 0 || n > 100000))
        return usage_error("diff ", "--top expects a number from 0 to 100000, got '%s'", a->top);
    *top = (int)n;
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    CmdArgs a = {0};
    KpDiffFormat fmt = KP_DIFF_TEXT;
    int top = 0;
    int st = diff_args(argc, argv, &a, &fmt, &top);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    begin_diags(&d);
    KpScheme *old = kp_compile(a.scheme, &d);
    KpScheme *new_ = old ? compile_new(&a, old, &d) : NULL;
    int status = new_ ? 0 : 1;
    for (int i = 0; new_ && i < a.nsets; i++)
        if (!kp_set_param(new_, a.sets[i], &d)) status = 1;
    if (status == 0 && !kp_run_both(old, new_, a.data, &d)) status = 1;
    KpDiffInfo info = {a.scheme, a.scheme2 ? a.scheme2 : a.scheme, a.sets, a.nsets, top};
    KpDiff *df = status == 0 ? kp_diff(old, new_, &info, &d) : NULL;
    if (status == 0 && !df) status = 1;
    Emitter e = {.d = &d, .diff = df, .diff_fmt = fmt};
    if (df) status = write_output(&e, a.out);
    print_diags(&d);
    kp_diff_free(df);
    kp_free(new_);
    kp_free(old);
    diags_free(&d);
    free(a.sets);
    return status;
}

int main(int argc, char **argv)
{
    /* A run allocates and frees many columns of a few megabytes. Keeping freed
    ** memory in the heap, instead of returning it to the kernel and faulting
    ** fresh zeroed pages in again, saves a third of the time at 10^6 persons.
    ** (32 MiB is the largest threshold glibc accepts.) The top pad keeps
    ** untouched heap ahead of use, which xalloc marks for huge pages. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
    mallopt(M_TOP_PAD, 32 << 20);
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("kaoping %s\n", KP_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "doc")) return cmd_doc(argc - 2, argv + 2);
    if (!strcmp(cmd, "test")) return cmd_test(argc - 2, argv + 2);
    if (!strcmp(cmd, "fmt")) return cmd_fmt(argc - 2, argv + 2);
    if (!strcmp(cmd, "explain")) return cmd_explain(argc - 2, argv + 2);
    if (!strcmp(cmd, "diff")) return cmd_diff(argc - 2, argv + 2);
    return usage_error("", "unknown command '%s'", cmd);
}
