/*
** kpgen.c — synthetic data for examples/annual/scheme.kp.
**
**   kpgen --persons N [--seed S] --out DIR
**
** Writes DIR/units.csv, depts.csv, persons.csv and cases.csv with exactly the
** columns the annual scheme declares: about 200 persons per unit, 8
** departments per unit (5 case-handling 检察部, 3 综合部门), categories about
** 40% 检察官 / 35% 检察官助理 / 25% 司法行政人员, about 12.5 cases a year per
** 检察官 and 7 per 助理 (100,000 persons give about 745,000 cases). Scores are
** normal-ish around 84 (mostly 70-95) and correlated through a per-person
** ability (with a weak tail of 1%); quarterly grades are mostly 好/较好;
** vetoes fire for about 1%.
**
** The output depends only on N and the seed (own splitmix64 generator, no
** libc randomness, no floating point). Records are formatted by hand into
** large buffers, so a million persons and 7.5 million cases take seconds.
** Standalone: C11 and libc only.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PERSONS_PER_UNIT 200
#define DEPTS_PER_UNIT   8
#define BUSINESS_DEPTS   5 /* depts 0..4 handle cases; 0..2 criminal, 3..4 civil */
#define CRIMINAL_DEPTS   3
#define OUT_BUF          (1 << 20)
#define MAX_PERSONS      100000000LL
#define YEAR             2023

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, and the few distributions built on it. */

typedef struct Rng {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is below 2^-32). */
static uint32_t rng_below(Rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability permille / 1000. */
static int rng_chance(Rng *r, uint32_t permille)
{
    return rng_below(r, 1000) < permille;
}

/* Approximately standard normal, in hundredths (mean 0, sd 100):
** the sum of four uniforms (Irwin-Hall), rescaled. */
static int rng_normal100(Rng *r)
{
    uint64_t x = rng_next(r);
    int s = 0;
    for (int i = 0; i < 4; i++, x >>= 16)
        s += (int)(x & 0xFFFF);
    /* mean 4 * 32767.5, sd sqrt(4 / 12) * 65536 = 37837 */
    return (int)(((long long)s - 131070) * 100 / 37837);
}

/* Binomial(bits, 1/2): popcount of `bits` random bits (bits <= 64). */
static int rng_binomial_half(Rng *r, int bits)
{
    uint64_t x = rng_next(r);
    if (bits < 64) x &= (1ULL << bits) - 1;
    return __builtin_popcountll(x);
}

/* ------------------------------------------------------------------ */
/* Buffered output: records are appended by hand, no printf per field. */

typedef struct Out {
    FILE *f;
    const char *path;
    size_t n;
    char buf[OUT_BUF];
} Out;

static void out_flush(Out *o)
{
    if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n) {
        fprintf(stderr, "kpgen: %s: write failed: %s\n", o->path, strerror(errno));
        exit(1);
    }
    o->n = 0;
}

/* Every record is far shorter than 4 KiB, so one check per record suffices. */
static void out_reserve(Out *o)
{
    if (o->n > OUT_BUF - 4096) out_flush(o);
}

static void out_str(Out *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static void out_ch(Out *o, char c)
{
    o->buf[o->n++] = c;
}

static void out_uint(Out *o, uint64_t v)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        o->buf[o->n++] = tmp[--k];
}

/* v zero-padded to `width` digits. */
static void out_padded(Out *o, uint64_t v, int width)
{
    char *p = o->buf + o->n;
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    o->n += (size_t)width;
}

/* A score given in tenths, e.g. 875 -> "87.5", 870 -> "87". */
static void out_tenths(Out *o, int t)
{
    out_uint(o, (uint64_t)(t / 10));
    if (t % 10) {
        out_ch(o, '.');
        out_ch(o, (char)('0' + t % 10));
    }
}

static void out_date(Out *o, int y, int m, int d)
{
    out_padded(o, (uint64_t)y, 4);
    out_ch(o, '-');
    out_padded(o, (uint64_t)m, 2);
    out_ch(o, '-');
    out_padded(o, (uint64_t)d, 2);
}

static void out_open(Out *o, const char *dir, const char *name, const char *header)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) {
        fprintf(stderr, "kpgen: out of memory\n");
        exit(1);
    }
    snprintf(path, n, "%s/%s", dir, name);
    o->path = path;
    o->n = 0;
    o->f = fopen(path, "wb");
    if (!o->f) {
        fprintf(stderr, "kpgen: cannot create %s: %s\n", path, strerror(errno));
        exit(1);
    }
    out_str(o, header);
}

static void out_close(Out *o)
{
    out_flush(o);
    if (fclose(o->f) != 0) {
        fprintf(stderr, "kpgen: %s: close failed: %s\n", o->path, strerror(errno));
        exit(1);
    }
    free((char *)o->path);
}

/* ------------------------------------------------------------------ */
/* Vocabulary. */

static const char *const PLACES[] = {
    "江淮", "青山", "临川", "白沙", "东湖", "南平", "西岭", "北固", "长宁", "安丰", "广德", "宣城",
    "铜陵", "池州", "庐江", "舒城", "寿春", "桐城", "怀宁", "黟山", "歙南", "休宁", "祁门", "绩溪",
    "泾川", "太和", "颍上", "凤台", "定远", "来安", "全椒", "天长", "明光", "五河", "固镇", "灵璧",
};
#define NPLACES (sizeof PLACES / sizeof PLACES[0])

static const char *const DEPT_NAMES[DEPTS_PER_UNIT] = {
    "第一检察部", "第二检察部", "第三检察部", "第四检察部",
    "第五检察部", "办公室",     "政治部",     "检务保障部",
};

static const char *const SURNAMES[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
};
#define NSURNAMES (sizeof SURNAMES / sizeof SURNAMES[0])

static const char *const GIVEN[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "文", "华", "建", "国", "红", "玉",
    "立", "新", "海", "波", "宁", "雪", "晨", "欣", "悦", "琳", "浩", "宇", "婷", "翔",
};
#define NGIVEN (sizeof GIVEN / sizeof GIVEN[0])

static const char *const CATEGORY[] = {"检察官", "检察官助理", "司法行政人员"};
static const char *const QUARTER[] = {"好", "较好", "一般", "较差"};

static const char *const CHARGES[] = {
    "盗窃罪",
    "危险驾驶罪",
    "诈骗罪",
    "故意伤害罪",
    "开设赌场罪",
    "帮助信息网络犯罪活动罪",
    "寻衅滋事罪",
    "交通肇事罪",
    "非法吸收公众存款罪",
    "掩饰、隐瞒犯罪所得罪",
    "合同诈骗罪",
    "非法经营罪",
};
#define NCHARGES (sizeof CHARGES / sizeof CHARGES[0])

static const char *const CIVIL_CAUSES[] = {
    "民间借贷纠纷",     "买卖合同纠纷",       "劳动争议",     "行政处罚决定监督",
    "行政非诉执行监督", "生态环境和资源保护", "食品药品安全", "国有财产保护",
};
static const char *const CIVIL_TYPES[] = {
    "民事检察", "民事检察", "民事检察", "行政检察", "行政检察", "公益诉讼", "公益诉讼", "公益诉讼",
};
#define NCIVIL (sizeof CIVIL_CAUSES / sizeof CIVIL_CAUSES[0])

/* ------------------------------------------------------------------ */
/* Command line. */

typedef struct Options {
    long long persons;
    uint64_t seed;
    const char *out;
} Options;

static void usage(FILE *f)
{
    fputs("usage: kpgen --persons N [--seed S] --out DIR\n"
          "\n"
          "Writes synthetic units.csv, depts.csv, persons.csv and cases.csv for\n"
          "examples/annual/scheme.kp into DIR (created if missing): about 200 persons\n"
          "and 8 departments per unit, about 7.5 cases per person. The same N and\n"
          "seed always give the same files.\n"
          "\n"
          "  --persons N   number of persons, 1 to 100000000\n"
          "  --seed S      random seed, a non-negative integer (default 1)\n"
          "  --out DIR     output directory\n"
          "  --help        print this help\n",
          f);
}

static void bad_usage(const char *fmt, const char *arg)
{
    fputs("kpgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'kpgen --help'.\n", stderr);
    exit(2);
}

/* Parses a decimal unsigned integer that fills the whole string. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s) return 0;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* The value of option `name` at argv[*i]: "--name=V" or "--name V". */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) bad_usage("option '%s' needs a value", name);
    return argv[++*i];
}

static Options parse_args(int argc, char **argv)
{
    Options o = {0, 1, NULL};
    for (int i = 1; i < argc; i++) {
        const char *v;
        uint64_t u;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if ((v = opt_value(argc, argv, &i, "--persons"))) {
            if (!parse_u64(v, &u) || u < 1 || u > (uint64_t)MAX_PERSONS)
                bad_usage("--persons must be an integer from 1 to 100000000, not '%s'", v);
            o.persons = (long long)u;
        } else if ((v = opt_value(argc, argv, &i, "--seed"))) {
            if (!parse_u64(v, &u)) bad_usage("--seed must be a non-negative integer, not '%s'", v);
            o.seed = u;
        } else if ((v = opt_value(argc, argv, &i, "--out"))) {
            if (!*v) bad_usage("--out needs a directory%s", "");
            o.out = v;
        } else {
            bad_usage("unknown argument '%s'", argv[i]);
        }
    }
    if (o.persons == 0) bad_usage("missing --persons N%s", "");
    if (!o.out) bad_usage("missing --out DIR%s", "");
    return o;
}

/* ------------------------------------------------------------------ */
/* Units and departments. */

typedef struct Gen {
    Rng rng;
    long long persons, units;
    long long next_case;
    Out units_out, depts_out, persons_out, cases_out;
    int has_head[DEPTS_PER_UNIT]; /* in the current unit */
} Gen;

static void unit_id(Out *o, long long u)
{
    out_ch(o, 'U');
    out_padded(o, (uint64_t)u + 1, 6);
}

static void dept_id(Out *o, long long u, int d)
{
    out_ch(o, 'D');
    out_padded(o, (uint64_t)u + 1, 6);
    out_padded(o, (uint64_t)d + 1, 2);
}

/* Unit 0 is the provincial procuratorate, every 12th a city one, the rest
** basic-level ones named after their city and district. */
static void write_unit(Gen *g, long long u)
{
    Out *o = &g->units_out;
    const char *city = PLACES[(u / 12) % NPLACES];
    out_reserve(o);
    unit_id(o, u);
    out_ch(o, ',');
    if (u == 0) {
        out_str(o, "省人民检察院,省院\n");
    } else if (u % 12 == 1) {
        out_str(o, city);
        out_str(o, "市人民检察院,市院\n");
    } else {
        out_str(o, city);
        out_str(o, "市");
        out_str(o, PLACES[(u * 7 + 3) % NPLACES]);
        out_str(o, "区人民检察院,基层院\n");
    }
}

/* Department scores are normal-ish around 88; the top ones are rated 优秀. */
static void write_depts(Gen *g, long long u)
{
    Out *o = &g->depts_out;
    for (int d = 0; d < DEPTS_PER_UNIT; d++) {
        int t = 880 + rng_normal100(&g->rng) * 4 / 10;
        if (t < 700) t = 700;
        if (t > 990) t = 990;
        out_reserve(o);
        dept_id(o, u, d);
        out_ch(o, ',');
        out_str(o, DEPT_NAMES[d]);
        out_ch(o, ',');
        unit_id(o, u);
        out_ch(o, ',');
        out_tenths(o, t);
        out_ch(o, ',');
        out_str(o, t >= 930 ? "优秀" : t >= 850 ? "良好" : "一般");
        out_ch(o, '\n');
    }
    memset(g->has_head, 0, sizeof g->has_head);
}

/* ------------------------------------------------------------------ */
/* Persons. */

typedef struct Person {
    long long id, unit;
    int dept, category, ability; /* ability: normal, hundredths of an sd */
} Person;

/* 40% 检察官 and 35% 助理 in the case-handling departments; 25% 司法行政人员,
** most of them in the 综合部门, a few as 内勤 in a 检察部. */
static void draw_post(Gen *g, Person *p)
{
    uint32_t c = rng_below(&g->rng, 100);
    p->category = c < 40 ? 0 : c < 75 ? 1 : 2;
    if (p->category < 2 || rng_chance(&g->rng, 200))
        p->dept = (int)rng_below(&g->rng, BUSINESS_DEPTS);
    else
        p->dept = BUSINESS_DEPTS + (int)rng_below(&g->rng, DEPTS_PER_UNIT - BUSINESS_DEPTS);
}

/* A 0-100 score in tenths: 84 + 4 sd of ability + 3 sd of noise, in [55, 99.5]. */
static int draw_score(Gen *g, const Person *p)
{
    int t = 840 + p->ability * 40 / 100 + rng_normal100(&g->rng) * 30 / 100;
    return t < 550 ? 550 : t > 995 ? 995 : t;
}

/* Quarterly grade: mostly 好/较好, shifted by ability. */
static const char *draw_quarter(Gen *g, const Person *p)
{
    int x = (int)rng_below(&g->rng, 1000) + p->ability / 2;
    return x >= 620 ? QUARTER[0] : x >= 60 ? QUARTER[1] : x >= -10 ? QUARTER[2] : QUARTER[3];
}

static void write_name(Gen *g, Out *o)
{
    out_str(o, SURNAMES[rng_below(&g->rng, NSURNAMES)]);
    out_str(o, GIVEN[rng_below(&g->rng, NGIVEN)]);
    if (rng_chance(&g->rng, 600)) out_str(o, GIVEN[rng_below(&g->rng, NGIVEN)]);
}

/* Joined between 1990 and 2023; about 3% are this year's recruits (试用期). */
static void write_joined(Gen *g, Out *o)
{
    int y = rng_chance(&g->rng, 30) ? YEAR : 1990 + (int)rng_below(&g->rng, YEAR - 1990);
    int m = 1 + (int)rng_below(&g->rng, y == YEAR ? 10 : 12);
    out_date(o, y, m, 1 + (int)rng_below(&g->rng, 28));
}

static const char *yes_no(int b)
{
    return b ? "是" : "否";
}

/* person_id .. q4 */
static void write_person_head(Gen *g, Out *o, const Person *p, int head)
{
    out_ch(o, 'P');
    out_padded(o, (uint64_t)p->id + 1, 8);
    out_ch(o, ',');
    write_name(g, o);
    out_ch(o, ',');
    dept_id(o, p->unit, p->dept);
    out_ch(o, ',');
    out_str(o, CATEGORY[p->category]);
    out_ch(o, ',');
    out_str(o, yes_no(head));
    out_ch(o, ',');
    write_joined(g, o);
    for (int q = 0; q < 4; q++) {
        out_ch(o, ',');
        out_str(o, draw_quarter(g, p));
    }
}

/* duty_score .. override_grade */
static void write_person_scores(Gen *g, Out *o, const Person *p, int head)
{
    out_ch(o, ',');
    out_tenths(o, draw_score(g, p));
    int rate = 88 + p->ability * 4 / 100 + (int)rng_below(&g->rng, 9) - 4;
    out_ch(o, ',');
    out_uint(o, (uint64_t)(rate < 50 ? 50 : rate > 100 ? 100 : rate));
    out_ch(o, '%');
    for (int k = 0; k < 3; k++) { /* common, superior, peer */
        out_ch(o, ',');
        out_tenths(o, draw_score(g, p));
    }
    out_ch(o, ',');
    if (!rng_chance(&g->rng, 300)) out_tenths(o, draw_score(g, p)); /* third party */
    out_ch(o, ',');
    out_uint(o, (uint64_t)(rng_chance(&g->rng, 250) ? 1 + rng_below(&g->rng, 5) : 0));
    out_ch(o, ',');
    out_uint(o, (uint64_t)(rng_chance(&g->rng, 120) ? 1 + rng_below(&g->rng, 3) : 0));
    out_ch(o, ',');
    out_str(o, yes_no(rng_chance(&g->rng, 3)));
    out_ch(o, ',');
    out_str(o, yes_no(rng_chance(&g->rng, 3)));
    out_ch(o, ',');
    out_str(o, yes_no(rng_chance(&g->rng, 5)));
    out_ch(o, ',');
    if (head && rng_chance(&g->rng, 80)) out_str(o, "优秀"); /* rated by the leadership */
    out_ch(o, '\n');
}

/* ------------------------------------------------------------------ */
/* Cases: a case-handling department's 检察官 and 助理 each get a few. */

static void write_case_kind(Gen *g, Out *o, int criminal, int *type_arrest)
{
    *type_arrest = 0;
    if (criminal) {
        *type_arrest = rng_chance(&g->rng, 250);
        out_str(o, *type_arrest ? "审查逮捕," : "审查起诉,");
        if (rng_chance(&g->rng, 30)) { /* several charges: a quoted field with a comma */
            out_ch(o, '"');
            out_str(o, CHARGES[rng_below(&g->rng, NCHARGES)]);
            out_ch(o, ',');
            out_str(o, CHARGES[rng_below(&g->rng, NCHARGES)]);
            out_ch(o, '"');
        } else {
            out_str(o, CHARGES[rng_below(&g->rng, NCHARGES)]);
        }
    } else {
        uint32_t k = rng_below(&g->rng, NCIVIL);
        out_str(o, CIVIL_TYPES[k]);
        out_ch(o, ',');
        out_str(o, CIVIL_CAUSES[k]);
    }
}

static const char *draw_review(Gen *g)
{
    uint32_t x = rng_below(&g->rng, 1000);
    return x < 80 ? "优质" : x < 920 ? "合格" : x < 980 ? "瑕疵" : "不合格";
}

static const char *draw_outcome(Gen *g, int criminal, int arrest)
{
    if (!criminal || arrest) return "其他";
    uint32_t x = rng_below(&g->rng, 1000);
    return x < 860 ? "有罪" : x < 990 ? "不起诉" : x < 993 ? "无罪" : "撤回起诉";
}

/* Days: mostly within the legal limit (7 / 45 / 90), about 4% over it. */
static int draw_days(Gen *g, const Person *p, int criminal, int arrest)
{
    int over = rng_chance(&g->rng, (uint32_t)(p->ability < -300 ? 150 : 40));
    if (arrest) return over ? 8 + (int)rng_below(&g->rng, 5) : 2 + (int)rng_below(&g->rng, 6);
    if (criminal) return over ? 46 + (int)rng_below(&g->rng, 30) : 10 + (int)rng_below(&g->rng, 36);
    return over ? 91 + (int)rng_below(&g->rng, 60) : 20 + (int)rng_below(&g->rng, 71);
}

static void write_case(Gen *g, const Person *p)
{
    Out *o = &g->cases_out;
    int criminal = p->dept < CRIMINAL_DEPTS, arrest;
    out_reserve(o);
    out_ch(o, 'C');
    out_padded(o, (uint64_t)++g->next_case, 9);
    out_str(o, ",P");
    out_padded(o, (uint64_t)p->id + 1, 8);
    out_ch(o, ',');
    write_case_kind(g, o, criminal, &arrest);
    out_str(o, rng_chance(&g->rng, 100) ? ",疑难复杂," : ",普通,");
    out_str(o, draw_review(g));
    out_ch(o, ',');
    out_str(o, draw_outcome(g, criminal, arrest));
    out_ch(o, ',');
    out_str(o, yes_no(!rng_chance(&g->rng, (uint32_t)(120 - p->ability / 5))));
    out_ch(o, ',');
    out_uint(o, (uint64_t)draw_days(g, p, criminal, arrest));
    out_ch(o, ',');
    out_date(o, YEAR, 1 + (int)rng_below(&g->rng, 12), 1 + (int)rng_below(&g->rng, 28));
    out_ch(o, '\n');
}

/* 检察官: 4 + Binomial(17, 1/2), mean 12.5; 助理: Binomial(14, 1/2), mean 7. */
static int draw_case_count(Gen *g, const Person *p)
{
    if (p->dept >= BUSINESS_DEPTS || p->category == 2) return 0;
    int n = p->category == 0 ? 4 + rng_binomial_half(&g->rng, 17) : rng_binomial_half(&g->rng, 14);
    return p->ability < -300 ? n / 2 : n;
}

/* Persons are spread evenly over the units. A department's head is the first
** 检察官 placed in a 检察部, or the first person placed in a 综合部门. */
static void write_person(Gen *g, long long i)
{
    Person p = {.id = i, .unit = i * g->units / g->persons};
    p.ability = rng_normal100(&g->rng);
    if (rng_chance(&g->rng, 10)) p.ability -= 650; /* the weak tail: 基本称职 candidates */
    draw_post(g, &p);
    int head = !g->has_head[p.dept] && (p.dept >= BUSINESS_DEPTS || p.category == 0);
    if (head) g->has_head[p.dept] = 1;
    Out *o = &g->persons_out;
    out_reserve(o);
    write_person_head(g, o, &p, head);
    write_person_scores(g, o, &p, head);
    for (int n = draw_case_count(g, &p); n > 0; n--)
        write_case(g, &p);
}

/* ------------------------------------------------------------------ */

static void make_dir(const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "kpgen: cannot create directory %s: %s\n", dir, strerror(errno));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    Options opt = parse_args(argc, argv);
    make_dir(opt.out);
    static Gen g; /* four 1 MiB buffers: keep them off the stack */
    g.rng.s = opt.seed;
    g.persons = opt.persons;
    g.units = (opt.persons + PERSONS_PER_UNIT - 1) / PERSONS_PER_UNIT;
    out_open(&g.units_out, opt.out, "units.csv", "unit_id,name,level\n");
    out_open(&g.depts_out, opt.out, "depts.csv", "dept_id,name,unit,dept_score,dept_grade\n");
    out_open(&g.persons_out, opt.out, "persons.csv",
             "person_id,name,dept,category,is_head,joined,q1,q2,q3,q4,duty_score,task_rate,"
             "common_score,superior_score,peer_score,third_party_score,research,honors,"
             "violation,political_neg,admonished,override_grade\n");
    out_open(&g.cases_out, opt.out, "cases.csv",
             "case_id,handler,case_type,charges,complexity,review,outcome,effect_ok,days,closed\n");
    long long unit = -1;
    for (long long i = 0; i < g.persons; i++) {
        long long u = i * g.units / g.persons;
        if (u != unit) {
            unit = u;
            write_unit(&g, u);
            write_depts(&g, u);
        }
        write_person(&g, i);
    }
    out_close(&g.units_out);
    out_close(&g.depts_out);
    out_close(&g.persons_out);
    out_close(&g.cases_out);
    return 0;
}
