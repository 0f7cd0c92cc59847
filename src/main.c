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
#include <sys/stat.h>
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
    "  fmt [-w|--check] FILE...     lay rule files out in the canonical layout\n"
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
    const char *scheme, *data, *out, *format;
    const char **sets;
    int nsets;
} RunArgs;

/* NAME=VALUE with a name; whether the param exists is checked against the scheme. */
static bool valid_set(const char *s)
{
    const char *eq = strchr(s, '=');
    return eq && eq != s;
}

static int parse_run_args(int argc, char **argv, RunArgs *a)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        const char *name = NULL;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(usage_run, stdout);
            return -1;
        }
        if (!strcmp(arg, "--data"))
            slot = &a->data, name = "--data";
        else if (!strcmp(arg, "-o") || !strcmp(arg, "--output"))
            slot = &a->out, name = arg;
        else if (!strcmp(arg, "--format"))
            slot = &a->format, name = "--format";
        else if (!strcmp(arg, "--set"))
            slot = &a->sets[a->nsets], name = "--set";
        else if (!strncmp(arg, "--data=", 7)) {
            a->data = arg + 7;
            continue;
        } else if (!strncmp(arg, "--output=", 9)) {
            a->out = arg + 9;
            continue;
        } else if (!strncmp(arg, "--set=", 6)) {
            if (!valid_set(arg + 6))
                return usage_error("run ", "--set expects NAME=VALUE, got '%s'", arg + 6);
            a->sets[a->nsets++] = arg + 6;
            continue;
        } else if (!strncmp(arg, "--format=", 9)) {
            a->format = arg + 9;
            continue;
        } else if (arg[0] == '-' && arg[1])
            return usage_error("run ", "unknown option '%s'", arg);
        else if (a->scheme)
            return usage_error("run ", "unexpected argument '%s' (one scheme per run)", arg);
        else {
            a->scheme = arg;
            continue;
        }
        if (i + 1 >= argc) return usage_error("run ", "option '%s' needs a value", name);
        *slot = argv[++i];
        if (slot == &a->sets[a->nsets]) {
            if (!valid_set(*slot))
                return usage_error("run ", "--set expects NAME=VALUE, got '%s'", *slot);
            a->nsets++;
        }
    }
    if (!a->scheme) return usage_error("run ", "%s", "no scheme given");
    if (!a->data) return usage_error("run ", "%s", "missing --data DIR");
    return 0;
}

static int output_format(const RunArgs *a, KpFormat *fmt)
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

/* Writes to a temporary file beside the target and renames it, so a failed
** run never leaves a half-written result. */
static int write_output(KpScheme *s, const RunArgs *a, KpFormat fmt, Diags *d)
{
    if (!a->out) {
        setvbuf(stdout, NULL, _IOFBF, OUTPUT_BUFFER);
        if (!kp_write(s, stdout, fmt, d)) return 1;
        return fflush(stdout) == 0 ? 0 : 1;
    }
    size_t n = strlen(a->out) + 16;
    char *tmp = malloc(n);
    snprintf(tmp, n, "%s.tmp.XXXXXX", a->out);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "kaoping: cannot write '%s': %s\n", a->out, strerror(errno));
        if (fd >= 0) close(fd), unlink(tmp);
        free(tmp);
        return 1;
    }
    setvbuf(f, NULL, _IOFBF, OUTPUT_BUFFER);
    bool ok = kp_write(s, f, fmt, d);
    int err = errno;
    if (fclose(f) != 0 && ok) ok = false, err = errno;
    if (ok && rename(tmp, a->out) != 0) ok = false, err = errno;
    if (!ok) {
        unlink(tmp);
        if (!d->nerrors) fprintf(stderr, "kaoping: cannot write '%s': %s\n", a->out, strerror(err));
    }
    free(tmp);
    return ok ? 0 : 1;
}

static int cmd_run(int argc, char **argv)
{
    RunArgs a = {0};
    a.sets = calloc((size_t)argc + 1, sizeof(char *));
    int st = parse_run_args(argc, argv, &a);
    KpFormat fmt = KP_FORMAT_CSV;
    if (st == 0) st = output_format(&a, &fmt);
    if (st != 0) {
        free(a.sets);
        return st < 0 ? 0 : st;
    }
    Diags d;
    diags_init(&d);
    d.max_errors = 20;
    KpScheme *s = kp_compile(a.scheme, &d);
    int status = s ? 0 : 1;
    for (int i = 0; s && i < a.nsets; i++)
        if (!kp_set_param(s, a.sets[i], &d)) status = 1;
    if (s && status == 0 && !kp_run(s, a.data, &d)) status = 1;
    if (s && status == 0) status = write_output(s, &a, fmt, &d);
    print_diags(&d);
    kp_free(s);
    diags_free(&d);
    free(a.sets);
    return status;
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
    diags_init(&d);
    d.max_errors = 20;
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
    if (!strcmp(cmd, "fmt")) return cmd_fmt(argc - 2, argv + 2);
    return usage_error("", "unknown command '%s'", cmd);
}
