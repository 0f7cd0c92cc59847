/*
** main.c — the command line: arguments, files, diagnostics on stderr and
** exit statuses (0 ok, 1 errors in the scheme or the data, 2 bad usage).
*/
#include "kaoping.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    "  diff OLD [NEW] --data DIR    compare two versions (or one with --set) on the same data\n"
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
    "Exit status: 0 on success, 1 on errors in the scheme or the data, 2 on bad usage.\n"
    "A failed run never leaves a partial output file.\n";

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

typedef struct RunArgs {
    const char *cmd;       /* "run " or "diff ", for usage messages */
    const char *scheme[2]; /* run: one; diff: old and (optionally) new */
    int nschemes, max_schemes;
    const char *data, *out, *format, *top;
    const char **sets;
    int nsets;
} RunArgs;

/* NAME=VALUE with a name; whether the param exists is checked against the scheme. */
static bool valid_set(const char *s)
{
    const char *eq = strchr(s, '=');
    return eq && eq != s;
}

static int positional(RunArgs *a, const char *arg)
{
    if (a->nschemes < a->max_schemes) {
        a->scheme[a->nschemes++] = arg;
        return 0;
    }
    if (a->max_schemes == 1)
        return usage_error(a->cmd, "unexpected argument '%s' (one scheme per run)", arg);
    return usage_error(
        a->cmd, "unexpected argument '%s' (diff compares two schemes, or one with --set)", arg);
}

/* --name=value, or NULL when arg is not that option. */
static const char *inline_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(arg, name, n) && arg[n] == '=' ? arg + n + 1 : NULL;
}

/* The options of run and diff. Returns 0, -1 after --help, or an exit status. */
static int parse_run_args(int argc, char **argv, RunArgs *a, const char *usage)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *v;
        const char **slot = NULL;
        bool diff = a->max_schemes == 2;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(usage, stdout);
            return -1;
        }
        if (!strcmp(arg, "--data"))
            slot = &a->data;
        else if (!strcmp(arg, "-o") || !strcmp(arg, "--output"))
            slot = &a->out;
        else if (!strcmp(arg, "--format"))
            slot = &a->format;
        else if (!strcmp(arg, "--set"))
            slot = &a->sets[a->nsets];
        else if (diff && !strcmp(arg, "--top"))
            slot = &a->top;
        else if ((v = inline_value(arg, "--data")))
            a->data = v;
        else if ((v = inline_value(arg, "--output")))
            a->out = v;
        else if ((v = inline_value(arg, "--format")))
            a->format = v;
        else if (diff && (v = inline_value(arg, "--top")))
            a->top = v;
        else if ((v = inline_value(arg, "--set"))) {
            if (!valid_set(v)) return usage_error(a->cmd, "--set expects NAME=VALUE, got '%s'", v);
            a->sets[a->nsets++] = v;
        } else if (arg[0] == '-' && arg[1])
            return usage_error(a->cmd, "unknown option '%s'", arg);
        else if (positional(a, arg))
            return 2;
        if (!slot) continue;
        if (i + 1 >= argc) return usage_error(a->cmd, "option '%s' needs a value", arg);
        *slot = argv[++i];
        if (slot == &a->sets[a->nsets]) {
            if (!valid_set(*slot))
                return usage_error(a->cmd, "--set expects NAME=VALUE, got '%s'", *slot);
            a->nsets++;
        }
    }
    if (!a->nschemes) return usage_error(a->cmd, "%s", "no scheme given");
    if (!a->data) return usage_error(a->cmd, "%s", "missing --data DIR");
    return 0;
}

/* The format named by --format, or else by the extension of -o FILE: an
** index into names (exts are the extensions), or -1 after a usage error.
** ext_list and name_list say what is expected, for the messages. */
static int pick_format(const RunArgs *a, const char *const *names, const char *const *exts, int n,
                       const char *ext_list, const char *name_list)
{
    char msg[200];
    const char *f = a->format;
    if (!f && a->out) {
        const char *dot = strrchr(a->out, '.');
        for (int i = 0; dot && i < n; i++)
            if (!strcmp(dot + 1, exts[i])) return i;
        snprintf(msg, sizeof msg, "cannot tell the output format of '%%s' (use %s)", ext_list);
        usage_error(a->cmd, msg, a->out);
        return -1;
    }
    if (!f) return 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(f, names[i])) return i;
    snprintf(msg, sizeof msg, "unknown format '%%s' (expected %s)", name_list);
    usage_error(a->cmd, msg, f);
    return -1;
}

typedef bool (*Writer)(void *ctx, FILE *f, Diags *d);

/* Writes to a temporary file beside the target and renames it, so a failed
** run never leaves a half-written result. */
static int write_output(const char *out, Writer write, void *ctx, Diags *d)
{
    if (!out) {
        setvbuf(stdout, NULL, _IOFBF, OUTPUT_BUFFER);
        if (!write(ctx, stdout, d)) return 1;
        return fflush(stdout) == 0 ? 0 : 1;
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
    bool ok = write(ctx, f, d);
    int err = errno;
    if (fclose(f) != 0 && ok) ok = false, err = errno;
    if (ok && rename(tmp, out) != 0) ok = false, err = errno;
    if (!ok) {
        unlink(tmp);
        if (!d->nerrors) fprintf(stderr, "kaoping: cannot write '%s': %s\n", out, strerror(err));
    }
    free(tmp);
    return ok ? 0 : 1;
}

typedef struct RunOut {
    KpScheme *s;
    KpFormat fmt;
} RunOut;

static bool write_run(void *ctx, FILE *f, Diags *d)
{
    RunOut *r = ctx;
    return kp_write(r->s, f, r->fmt, d);
}

static int cmd_run(int argc, char **argv)
{
    RunArgs a = {.cmd = "run ", .max_schemes = 1};
    a.sets = calloc((size_t)argc + 1, sizeof(char *));
    int st = parse_run_args(argc, argv, &a, usage_run);
    static const char *const names[] = {"csv", "json"};
    int fmt = st ? 0 : pick_format(&a, names, names, 2, ".csv or .json", "csv or json");
    if (st != 0 || fmt < 0) {
        free(a.sets);
        return st < 0 ? 0 : st ? st : 2;
    }
    Diags d;
    diags_init(&d);
    d.max_errors = 20;
    KpScheme *s = kp_compile(a.scheme[0], &d);
    int status = s ? 0 : 1;
    for (int i = 0; s && i < a.nsets; i++)
        if (!kp_set_param(s, a.sets[i], &d)) status = 1;
    if (s && status == 0 && !kp_run(s, a.data, &d)) status = 1;
    RunOut r = {s, fmt ? KP_FORMAT_JSON : KP_FORMAT_CSV};
    if (s && status == 0) status = write_output(a.out, write_run, &r, &d);
    print_diags(&d);
    kp_free(s);
    diags_free(&d);
    free(a.sets);
    return status;
}

static bool write_diff(void *ctx, FILE *f, Diags *d)
{
    (void)d;
    void **w = ctx;
    return kp_diff_write(w[0], f, *(KpDiffFormat *)w[1]);
}

/* The second version: another scheme compiled beside the first, or the same
** file again (its warnings were shown once already). */
static KpScheme *compile_new(const RunArgs *a, KpScheme *old, Diags *d)
{
    const char *path = a->nschemes == 2 ? a->scheme[1] : a->scheme[0];
    if (strcmp(path, a->scheme[0]) != 0) return kp_compile_beside(path, old, d);
    Diags quiet;
    diags_init(&quiet);
    KpScheme *s = kp_compile_beside(path, old, &quiet);
    diags_free(&quiet);
    return s;
}

static int diff_args(int argc, char **argv, RunArgs *a, int *fmt, int *top)
{
    int st = parse_run_args(argc, argv, a, usage_diff);
    if (st) return st;
    if (a->nschemes == 1 && !a->nsets)
        return usage_error(a->cmd, "%s",
                           "nothing to compare: give a second scheme, or --set NAME=VALUE");
    static const char *const names[] = {"text", "csv", "json", "html"};
    static const char *const exts[] = {"txt", "csv", "json", "html"};
    *fmt = pick_format(a, names, exts, 4, ".txt, .csv, .json or .html", "text, csv, json or html");
    if (*fmt < 0) return 2;
    char *end = NULL;
    long n = a->top ? strtol(a->top, &end, 10) : 20;
    if (a->top && (*end || n < 0 || n > 100000))
        return usage_error(a->cmd, "--top expects a number from 0 to 100000, got '%s'", a->top);
    *top = (int)n;
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    RunArgs a = {.cmd = "diff ", .max_schemes = 2};
    a.sets = calloc((size_t)argc + 1, sizeof(char *));
    int fmt = 0, top = 0;
    int st = diff_args(argc, argv, &a, &fmt, &top);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    diags_init(&d);
    d.max_errors = 20;
    KpScheme *old = kp_compile(a.scheme[0], &d);
    KpScheme *new_ = old ? compile_new(&a, old, &d) : NULL;
    int status = new_ ? 0 : 1;
    for (int i = 0; new_ && i < a.nsets; i++)
        if (!kp_set_param(new_, a.sets[i], &d)) status = 1;
    if (status == 0 && !kp_run_both(old, new_, a.data, &d)) status = 1;
    KpDiffInfo info = {a.scheme[0], a.nschemes == 2 ? a.scheme[1] : a.scheme[0], a.sets, a.nsets,
                       top};
    KpDiff *df = status == 0 ? kp_diff(old, new_, &info, &d) : NULL;
    if (status == 0 && !df) status = 1;
    KpDiffFormat f = (KpDiffFormat)fmt;
    void *w[2] = {df, &f};
    if (df) status = write_output(a.out, write_diff, w, &d);
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
    if (!strcmp(cmd, "diff")) return cmd_diff(argc - 2, argv + 2);
    return usage_error("", "unknown command '%s'", cmd);
}
