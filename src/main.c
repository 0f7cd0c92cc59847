/*
** main.c — the command line: arguments, files, diagnostics on stderr and
** exit statuses (0 ok, 1 errors in the scheme or the data, 2 bad usage).
*/
#include "kaoping.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>
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
    "every error and warning as path:line:col with the source line.\n"
    "Exit status: 0 when there are no errors, 1 when there are, 2 on bad usage.\n";

static const char usage_run[] =
    "Usage: kaoping run SCHEME --data DIR [--set NAME=VALUE]... [-o FILE]\n"
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

/* Results are written in large blocks: a million rows are 150 MB. */
#define OUTPUT_BUFFER (1 << 20)

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "kaoping: ");
    fprintf(stderr, fmt, arg);
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
        diags_init(&d);
        d.max_errors = 20;
        KpScheme *s = kp_compile(argv[i], &d);
        print_diags(&d);
        if (d.nerrors) status = 1;
        kp_free(s);
        diags_free(&d);
    }
    return status;
}

/* The arguments of run and explain; which options each takes is in `options`. */
typedef struct RunArgs {
    const char *cmd; /* "run " or "explain ", for usage messages */
    bool explain;    /* the explain command */
    const char *scheme, *data, *out, *format, *explain_out, *id, *lang;
    const char **sets;
    int nsets;
} RunArgs;

typedef struct Option {
    const char *name, *alias;
    bool run, explain; /* the commands that take it */
    size_t slot;       /* offsetof(RunArgs, ...) of its value; 0 for --set */
} Option;

static const Option options[] = {
    {"--data", NULL, true, true, offsetof(RunArgs, data)},
    {"--set", NULL, true, true, 0},
    {"--output", "-o", true, false, offsetof(RunArgs, out)},
    {"--format", NULL, true, true, offsetof(RunArgs, format)},
    {"--explain", NULL, true, false, offsetof(RunArgs, explain_out)},
    {"--lang", NULL, true, true, offsetof(RunArgs, lang)},
    {"--id", NULL, false, true, offsetof(RunArgs, id)},
};

/* NAME=VALUE with a name; whether the param exists is checked against the scheme. */
static bool valid_set(const char *s)
{
    const char *eq = strchr(s, '=');
    return eq && eq != s;
}

/* The option arg names ("--data" or "--data=DIR"), or NULL; *value is set
** for the second form. */
static const Option *find_option(const RunArgs *a, const char *arg, const char **value)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const Option *o = &options[i];
        if (!(a->explain ? o->explain : o->run)) continue;
        size_t n = strlen(o->name);
        *value = NULL;
        if (!strcmp(arg, o->name) || (o->alias && !strcmp(arg, o->alias))) return o;
        if (!strncmp(arg, o->name, n) && arg[n] == '=') {
            *value = arg + n + 1;
            return o;
        }
    }
    return NULL;
}

static int set_option(RunArgs *a, const Option *o, const char *value)
{
    if (o->slot) {
        *(const char **)((char *)a + o->slot) = value;
        return 0;
    }
    if (!valid_set(value)) return usage_error(a->cmd, "--set expects NAME=VALUE, got '%s'", value);
    a->sets[a->nsets++] = value;
    return 0;
}

static int parse_run_args(int argc, char **argv, RunArgs *a)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(a->explain ? usage_explain : usage_run, stdout);
            return -1;
        }
        const Option *o = find_option(a, arg, &value);
        if (!o && arg[0] == '-' && arg[1]) return usage_error(a->cmd, "unknown option '%s'", arg);
        if (!o && a->scheme)
            return usage_error(a->cmd,
                               a->explain ? "unexpected argument '%s' (one scheme at a time)"
                                          : "unexpected argument '%s' (one scheme per run)",
                               arg);
        if (!o) {
            a->scheme = arg;
            continue;
        }
        if (!value && i + 1 >= argc) return usage_error(a->cmd, "option '%s' needs a value", arg);
        int st = set_option(a, o, value ? value : argv[++i]);
        if (st) return st;
    }
    if (!a->scheme) return usage_error(a->cmd, "%s", "no scheme given");
    if (!a->data) return usage_error(a->cmd, "%s", "missing --data DIR");
    if (a->explain && !a->id)
        return usage_error(a->cmd, "%s", "missing --id ID (the person to explain)");
    if (a->lang && strcmp(a->lang, "zh") && strcmp(a->lang, "en"))
        return usage_error(a->cmd, "unknown language '%s' (expected zh or en)", a->lang);
    if (a->out && a->explain_out && !strcmp(a->out, a->explain_out))
        return usage_error(a->cmd, "-o and --explain name the same file '%s'", a->out);
    return 0;
}

static KpLang run_lang(const RunArgs *a)
{
    return a->lang && !strcmp(a->lang, "en") ? KP_LANG_EN : KP_LANG_ZH;
}

static int output_format(const RunArgs *a, KpFormat *fmt)
{
    *fmt = KP_FORMAT_CSV;
    const char *f = a->format;
    if (a->explain) {
        if (!f || !strcmp(f, "text") || !strcmp(f, "json")) return 0;
        return usage_error(a->cmd, "unknown format '%s' (expected text or json)", f);
    }
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

/* ---- progress on a terminal ---- */

typedef struct Progress {
    bool zh;
    bool shown; /* a progress line is on the terminal */
    KpProgressStage stage;
    char file[256];
    struct timespec last;
} Progress;

/* 3200000 -> "3,200,000" */
static const char *grouped(uint64_t n, char *buf)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n), k = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = 0;
    return buf;
}

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
                grouped(p->rows, a));
    else if (p->stage == KP_PROGRESS_COMPUTE)
        fprintf(stderr, pr->zh ? "计算: %s 人 (%llu/%llu)" : "computing: %s persons (%llu/%llu)",
                grouped(p->persons, a), (unsigned long long)p->done, (unsigned long long)p->total);
    else
        fprintf(stderr, pr->zh ? "解释: %s/%s 人" : "explaining: %s/%s persons",
                grouped(p->done, a), grouped(p->total, b));
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
static int write_outputs(KpScheme *s, const RunArgs *a, KpFormat fmt, Diags *d)
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

static int parse_command(int argc, char **argv, RunArgs *a, KpFormat *fmt)
{
    a->sets = calloc((size_t)argc + 1, sizeof(char *));
    int st = parse_run_args(argc, argv, a);
    if (st == 0) st = output_format(a, fmt);
    return st;
}

/* Compiles the scheme, applies --set, and loads the data; NULL on errors. */
static KpScheme *prepare(const RunArgs *a, Diags *d, Progress *pr)
{
    KpScheme *s = kp_compile(a->scheme, d);
    bool ok = s != NULL;
    for (int i = 0; ok && i < a->nsets; i++)
        ok = kp_set_param(s, a->sets[i], d);
    if (ok && isatty(STDERR_FILENO)) kp_set_progress(s, show_progress, pr);
    if (ok && (a->explain || a->explain_out)) kp_keep_values(s);
    if (ok) ok = kp_load(s, a->data, d);
    if (!ok) {
        kp_free(s);
        return NULL;
    }
    return s;
}

static int cmd_run(int argc, char **argv)
{
    RunArgs a = {.cmd = "run "};
    KpFormat fmt = KP_FORMAT_CSV;
    int st = parse_command(argc, argv, &a, &fmt);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    diags_init(&d);
    d.max_errors = 20;
    Progress pr = {.zh = run_lang(&a) == KP_LANG_ZH};
    KpScheme *s = prepare(&a, &d, &pr);
    int status = s && kp_compute(s, &d) ? write_outputs(s, &a, fmt, &d) : 1;
    end_progress(&pr);
    print_diags(&d);
    kp_free(s);
    diags_free(&d);
    free(a.sets);
    return status;
}

static int cmd_explain(int argc, char **argv)
{
    RunArgs a = {.cmd = "explain ", .explain = true};
    KpFormat fmt = KP_FORMAT_CSV;
    int st = parse_command(argc, argv, &a, &fmt);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    diags_init(&d);
    d.max_errors = 20;
    Progress pr = {.zh = run_lang(&a) == KP_LANG_ZH};
    KpScheme *s = prepare(&a, &d, &pr);
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

int main(int argc, char **argv)
{
    /* A run allocates and frees many columns of a few megabytes. Keeping freed
    ** memory in the heap, instead of returning it to the kernel and faulting
    ** fresh zeroed pages in again, saves a third of the time at 10^6 persons. */
    mallopt(M_MMAP_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
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
    if (!strcmp(cmd, "explain")) return cmd_explain(argc - 2, argv + 2);
    return usage_error("", "unknown command '%s'", cmd);
}
