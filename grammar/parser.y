/*
** parser.y — grammar of the kaoping rule language. Actions only build the
** AST (ast.h); names are resolved later (resolve.c).
*/
%define api.pure full
%define api.prefix {kp_yy}
%define api.location.type {Span}
%define parse.error detailed
%define parse.lac full
%locations
%expect 0
%param {void *scanner}
%parse-param {struct ParseCtx *ctx}

%code requires {
#include "ast.h"
struct ParseCtx;
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                     \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else {                                                      \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;           \
        }                                                             \
    } while (0)
}

%code {
#include "parse.h"
#include "lexer.h"

#define A (ctx->arena)
static void kp_yyerror(Span *loc, void *scanner, struct ParseCtx *ctx, const char *msg);
static Expr *mk_call(struct ParseCtx *ctx, const char *name, Span name_span, PtrVec args,
                     Expr *where, Span sp);
static Indicator *mk_indicator(struct ParseCtx *ctx, const char *name, Span name_span,
                               Expr *weight, Indicator *body, Span sp);
static Cell *mk_cell(struct ParseCtx *ctx, const char *text, Span sp);
static Expect *mk_expect(struct ParseCtx *ctx, Expr *e, Expr *item, bool negated, Span sp);
static Expr *mk_field(struct ParseCtx *ctx, Expr *a, Span name_span, Span sp);
static DatedValue *mk_dated(struct ParseCtx *ctx, Expr *value, const char *from, Span at);
static Decl *mk_step(struct ParseCtx *ctx, const char *name, Span name_span, bool unique,
                     PtrVec bands, Span sp);
}

%union {
    const char *str;
    bool boolean;
    struct { Dec value; bool percent; } num;
    Expr *expr;
    PtrVec vec;
    Decl *decl;
    TypeRef *type;
    Indicator *ind;
    Branch *branch;
    GradeRule *grade;
    OrderKey *okey;
    int flag;
    Cell *cell;
    TestBlock *test;
    TestRows *rows;
    TestRow *row;
    Expect *expect;
    StepBand *band;
}

%token SCHEME "'scheme'" VERSION "'version'" IMPORT "'import'" PARAM "'param'"
%token TABLE "'table'" KEY "'key'" ASSESS "'assess'" GROUP "'group'" BY "'by'"
%token LET "'let'" INDICATOR "'indicator'" WEIGHT "'weight'" WHEN "'when'"
%token ELSE "'otherwise'" BONUS "'bonus'" PENALTY "'penalty'" CAP "'cap'"
%token ADJUST "'adjust'" VETO "'veto'" AT_MOST "'at most'" UNGRADED "'ungraded'"
%token GRADES "'grades'" WITHIN "'within'" QUOTA "'quota'" REQUIRE "'require'"
%token OVERRIDE "'override'" ASC "'asc'" DESC "'desc'" AND "'and'" OR "'or'"
%token NOT "'not'" IN "'in'" IF "'if'" THEN "'then'" WHERE "'where'" ENUM "'enum'"
%token DEF "'def'" OUTPUT "'output'" EXTENDS "'extends'" REPLACE "'replace'" REMOVE "'remove'"
%token TEST "'test'" EXPECT "'expect'" CONTAINS "'contains'" NOT_CONTAINS "'不包含'"
%token PERIOD "'period'" FROM "'from'" TO "'to'" BEFORE "'before'"
%token STEP "'step'" FIRST "'first'" UNIQUE "'unique'"
%token ARROW "'->'" FATARROW "'=>'" EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
%token <str> ID "name" STRING "string"
%token <num> NUMBER "number"
%token <boolean> BOOL "'true' or 'false'"

%type <expr> expr opt_weight opt_cap opt_where opt_when
%type <vec> args opt_args names strings columns column ind_items grade_rules order_keys opt_order
%type <decl> decl table_decl group_decl indicator_decl veto_decl grades_decl
%type <type> type opt_type
%type <ind> indicator ind_body
%type <branch> branch
%type <grade> grade_rule grade_clauses
%type <okey> order_key
%type <flag> opt_optional opt_dir removable
%type <cell> cell opt_default
%type <test> test_block test_items
%type <rows> test_rows
%type <row> test_row
%type <vec> test_row_list dated_rest
%type <expect> expect
%type <decl> step_decl
%type <vec> step_bands
%type <band> step_band step_first step_value

%precedence ELSE
%left OR
%left AND
%precedence NOT
%nonassoc EQ NE '<' LE '>' GE IN
%left '+' '-'
%left '*' '/'
%precedence UMINUS
%precedence '.'

%%

program
    : header decls
    ;

header
    : %empty
    | SCHEME STRING opt_version opt_extends
                                     { ctx->prog->scheme_name = $2; ctx->prog->header_span = @$; }
    ;

opt_version
    : %empty
    | VERSION STRING                 { ctx->prog->version = $2; }
    ;

opt_extends
    : %empty
    | EXTENDS STRING                 { ctx->prog->extends = $2; ctx->prog->extends_span = @2; }
    ;

decls
    : %empty
    | decls decl                     { if ($2) { $2->src = ctx->src; ptrvec_push(A, &ctx->prog->decls, $2); } }
    | decls test_block               { $2->src = ctx->src; ptrvec_push(A, &ctx->prog->tests, $2); }
    | decls ';'
    | decls error
    ;

decl
    : IMPORT STRING                  { $$ = ast_decl(A, D_IMPORT, @$); $$->name = $2; $$->name_span = @2; }
    | PARAM ID opt_type '=' expr     { $$ = ast_decl(A, D_PARAM, @$); $$->name = $2; $$->name_span = @2;
                                       $$->type = $3; $$->expr = $5; }
    | PARAM ID opt_type '=' expr FROM STRING dated_rest
                                     { $$ = ast_decl(A, D_PARAM, @$); $$->name = $2; $$->name_span = @2;
                                       $$->type = $3; $$->expr = $5;
                                       ptrvec_push(A, &$$->dated, mk_dated(ctx, $5, $7, @7));
                                       for (int i = 0; i < $8.n; i++) ptrvec_push(A, &$$->dated, $8.items[i]); }
    | PERIOD STRING TO STRING        { $$ = ast_decl(A, D_PERIOD, @$); $$->key = $2; $$->key_span = @2;
                                       $$->table = $4; $$->table_span = @4; }
    | table_decl
    | ASSESS ID                      { $$ = ast_decl(A, D_ASSESS, @$); $$->name = $2; $$->name_span = @2; }
    | group_decl
    | LET ID '=' expr                { $$ = ast_decl(A, D_LET, @$); $$->name = $2; $$->name_span = @2; $$->expr = $4; }
    | indicator_decl
    | BONUS ID '=' expr opt_cap      { $$ = ast_decl(A, D_BONUS, @$); $$->name = $2; $$->name_span = @2;
                                       $$->expr = $4; $$->cap = $5; }
    | PENALTY ID '=' expr opt_cap    { $$ = ast_decl(A, D_PENALTY, @$); $$->name = $2; $$->name_span = @2;
                                       $$->expr = $4; $$->cap = $5; }
    | BONUS CAP expr                 { $$ = ast_decl(A, D_BONUS_CAP, @$); $$->expr = $3; }
    | PENALTY CAP expr               { $$ = ast_decl(A, D_PENALTY_CAP, @$); $$->expr = $3; }
    | ADJUST ID opt_when '=' expr    { $$ = ast_decl(A, D_ADJUST, @$); $$->name = $2; $$->name_span = @2;
                                       $$->cond = $3; $$->expr = $5; }
    | veto_decl
    | grades_decl
    | OUTPUT args                    { $$ = ast_decl(A, D_OUTPUT, @$); $$->keys = $2; }
    | step_decl
    | DEF ID '(' args ')' '=' expr   { $$ = ast_decl(A, D_FUNC, @$); $$->name = $2; $$->name_span = @2;
                                       $$->keys = $4; $$->expr = $7; }
    | REPLACE decl                   { $$ = $2; if ($$) { $$->change = CHANGE_REPLACE; $$->span = @$; } }
    | REPLACE INDICATOR ID WEIGHT expr
                                     { Indicator *w = ARENA_NEW(A, Indicator);
                                       w->name = $3; w->name_span = @3; w->span = @$; w->weight = $5;
                                       $$ = ast_decl(A, D_INDICATOR, @$); $$->name = $3; $$->name_span = @3;
                                       $$->ind = w; $$->change = CHANGE_REPLACE; }
    | REPLACE GRADES grade_rule      { $$ = ast_decl(A, D_GRADE_RULE, @$); $$->name = $3->name;
                                       $$->name_span = $3->span; ptrvec_push(A, &$$->rules, $3);
                                       $$->change = CHANGE_REPLACE; }
    | REMOVE removable ID            { $$ = ast_decl(A, (DeclKind)$2, @$); $$->name = $3; $$->name_span = @3;
                                       $$->change = CHANGE_REMOVE; }
    ;

/* The earlier values of a dated param: `, 18% from "2020-01-01"` or `, 15% before`. */
dated_rest
    : %empty                         { $$ = (PtrVec){0}; }
    | dated_rest ',' expr FROM STRING
                                     { $$ = $1; ptrvec_push(A, &$$, mk_dated(ctx, $3, $5, @5)); }
    | dated_rest ',' expr BEFORE     { $$ = $1; ptrvec_push(A, &$$, mk_dated(ctx, $3, NULL, @4)); }
    ;

removable
    : LET                            { $$ = D_LET; }
    | INDICATOR                      { $$ = D_INDICATOR; }
    | BONUS                          { $$ = D_BONUS; }
    | PENALTY                        { $$ = D_PENALTY; }
    | ADJUST                         { $$ = D_ADJUST; }
    | VETO                           { $$ = D_VETO; }
    | GRADES                         { $$ = D_GRADE_RULE; }
    ;

opt_type
    : %empty                         { $$ = NULL; }
    | ':' type                       { $$ = $2; }
    ;

opt_cap
    : %empty                         { $$ = NULL; }
    | CAP expr                       { $$ = $2; }
    ;

opt_when
    : %empty                         { $$ = NULL; }
    | WHEN expr                      { $$ = $2; }
    ;

table_decl
    : TABLE ID KEY ID '{' columns '}' { $$ = ast_decl(A, D_TABLE, @$); $$->name = $2; $$->name_span = @2;
                                        $$->key = $4; $$->key_span = @4; $$->columns = $6; }
    ;

columns
    : %empty                         { $$ = (PtrVec){0}; }
    | columns column                 { $$ = $1; for (int i = 0; i < $2.n; i++) ptrvec_push(A, &$$, $2.items[i]); }
    | columns ';'                    { $$ = $1; }
    | columns error                  { $$ = $1; }
    ;

column
    : names ':' type opt_default     { $$ = $1; $3->def = $4;
                                       for (int i = 0; i < $$.n; i++) ((ColumnDecl *)$$.items[i])->type = $3; }
    | ID ARROW ID opt_optional opt_default
                                     { $$ = (PtrVec){0}; ColumnDecl *c = ARENA_NEW(A, ColumnDecl);
                                       c->name = $1; c->span = @1; c->type = ARENA_NEW(A, TypeRef);
                                       c->type->ref = $3; c->type->ref_span = @3; c->type->span = @3;
                                       c->type->optional = $4; c->type->def = $5; ptrvec_push(A, &$$, c); }
    ;

opt_default
    : %empty                         { $$ = NULL; }
    | '=' cell                       { $$ = $2; }
    ;

/* A data value as a CSV cell holds it: numbers and names keep their text. */
cell
    : STRING                         { $$ = mk_cell(ctx, $1, @$); }
    | NUMBER                         { $$ = mk_cell(ctx, NULL, @$); }
    | '-' NUMBER                     { $$ = mk_cell(ctx, NULL, @$); }
    | BOOL                           { $$ = mk_cell(ctx, $1 ? "true" : "false", @$); }
    | ID                             { $$ = mk_cell(ctx, $1, @$); }
    ;

names
    : ID                             { $$ = (PtrVec){0}; ColumnDecl *c = ARENA_NEW(A, ColumnDecl);
                                       c->name = $1; c->span = @1; ptrvec_push(A, &$$, c); }
    | names ',' ID                   { $$ = $1; ColumnDecl *c = ARENA_NEW(A, ColumnDecl);
                                       c->name = $3; c->span = @3; ptrvec_push(A, &$$, c); }
    ;

type
    : ID opt_optional                { $$ = ARENA_NEW(A, TypeRef); $$->name = $1; $$->span = @1; $$->optional = $2; }
    | ENUM '[' strings ']' opt_optional
                                     { $$ = ARENA_NEW(A, TypeRef); $$->enum_vals = $3; $$->span = @$;
                                       $$->optional = $5; }
    ;

opt_optional
    : %empty                         { $$ = 0; }
    | '?'                            { $$ = 1; }
    ;

strings
    : STRING                         { $$ = (PtrVec){0}; ptrvec_push(A, &$$, (void *)$1); }
    | strings ',' STRING             { $$ = $1; ptrvec_push(A, &$$, (void *)$3); }
    ;

group_decl
    : GROUP ID '=' ID                { $$ = ast_decl(A, D_GROUP, @$); $$->name = $2; $$->name_span = @2;
                                       $$->table = $4; $$->table_span = @4; }
    | GROUP ID '=' ID BY args        { $$ = ast_decl(A, D_GROUP, @$); $$->name = $2; $$->name_span = @2;
                                       $$->table = $4; $$->table_span = @4; $$->keys = $6; }
    ;

indicator_decl
    : indicator                      { $$ = ast_decl(A, D_INDICATOR, @$); $$->name = $1->name;
                                       $$->name_span = $1->name_span; $$->ind = $1; }
    ;

indicator
    : INDICATOR ID opt_weight ind_body
                                     { $$ = mk_indicator(ctx, $2, @2, $3, $4, @$); }
    ;

opt_weight
    : %empty                         { $$ = NULL; }
    | WEIGHT expr                    { $$ = $2; }
    ;

ind_body
    : '=' expr                       { $$ = ARENA_NEW(A, Indicator); $$->formula = $2; }
    | '{' ind_items '}'              { $$ = ARENA_NEW(A, Indicator);
                                       for (int i = 0; i < $2.n; i++) {
                                           Indicator *x = $2.items[i];
                                           if (x->name) ptrvec_push(A, &$$->children, x);
                                           else ptrvec_push(A, &$$->branches, x->branches.items[0]);
                                       } }
    ;

/* Items are sub-indicators, or when/otherwise branches wrapped in a nameless
** Indicator so both kinds keep their written order. */
ind_items
    : %empty                         { $$ = (PtrVec){0}; }
    | ind_items indicator            { $$ = $1; ptrvec_push(A, &$$, $2); }
    | ind_items branch               { $$ = $1; Indicator *w = ARENA_NEW(A, Indicator);
                                       ptrvec_push(A, &w->branches, $2); ptrvec_push(A, &$$, w); }
    | ind_items ';'                  { $$ = $1; }
    | ind_items error                { $$ = $1; }
    ;

branch
    : WHEN expr '=' expr             { $$ = ARENA_NEW(A, Branch); $$->cond = $2; $$->formula = $4; $$->span = @$; }
    | WHEN expr '{' ind_items '}'    { $$ = ARENA_NEW(A, Branch); $$->cond = $2; $$->span = @$;
                                       for (int i = 0; i < $4.n; i++) {
                                           Indicator *x = $4.items[i];
                                           if (x->name) ptrvec_push(A, &$$->children, x);
                                       } }
    | ELSE '=' expr                  { $$ = ARENA_NEW(A, Branch); $$->formula = $3; $$->span = @$; }
    | ELSE '{' ind_items '}'         { $$ = ARENA_NEW(A, Branch); $$->span = @$;
                                       for (int i = 0; i < $3.n; i++) {
                                           Indicator *x = $3.items[i];
                                           if (x->name) ptrvec_push(A, &$$->children, x);
                                       } }
    ;

veto_decl
    : VETO ID WHEN expr FATARROW ID  { $$ = ast_decl(A, D_VETO, @$); $$->name = $2; $$->name_span = @2;
                                       $$->cond = $4; $$->effect = VETO_FORCE; $$->grade = $6; $$->grade_span = @6; }
    | VETO ID WHEN expr FATARROW AT_MOST ID
                                     { $$ = ast_decl(A, D_VETO, @$); $$->name = $2; $$->name_span = @2;
                                       $$->cond = $4; $$->effect = VETO_CAP; $$->grade = $7; $$->grade_span = @7; }
    | VETO ID WHEN expr FATARROW UNGRADED
                                     { $$ = ast_decl(A, D_VETO, @$); $$->name = $2; $$->name_span = @2;
                                       $$->cond = $4; $$->effect = VETO_UNGRADED; $$->grade_span = @6; }
    ;

grades_decl
    : GRADES opt_order '{' grade_rules '}'
                                     { $$ = ast_decl(A, D_GRADES, @$); $$->order = $2; $$->rules = $4; }
    | GRADES WITHIN ID opt_order '{' grade_rules '}'
                                     { $$ = ast_decl(A, D_GRADES, @$); $$->within = $3; $$->within_span = @3;
                                       $$->order = $4; $$->rules = $6; }
    ;

opt_order
    : %empty                         { $$ = (PtrVec){0}; }
    | BY order_keys                  { $$ = $2; }
    ;

order_keys
    : order_key                      { $$ = (PtrVec){0}; ptrvec_push(A, &$$, $1); }
    | order_keys ',' order_key       { $$ = $1; ptrvec_push(A, &$$, $3); }
    ;

order_key
    : expr opt_dir                   { $$ = ARENA_NEW(A, OrderKey); $$->e = $1; $$->desc = $2; }
    ;

opt_dir
    : %empty                         { $$ = 0; }
    | ASC                            { $$ = 0; }
    | DESC                           { $$ = 1; }
    ;

/* An override line is kept as a GradeRule without a name. */
grade_rules
    : %empty                         { $$ = (PtrVec){0}; }
    | grade_rules grade_rule         { $$ = $1; ptrvec_push(A, &$$, $2); }
    | grade_rules OVERRIDE ID        { $$ = $1; GradeRule *g = ARENA_NEW(A, GradeRule);
                                       g->span = @3; g->when = ast_expr(A, E_NAME, @3); g->when->name = $3;
                                       ptrvec_push(A, &$$, g); }
    | grade_rules ';'                { $$ = $1; }
    | grade_rules error              { $$ = $1; }
    ;

grade_rule
    : ID grade_clauses               { $$ = $2; $$->name = $1; $$->span = @1; }
    ;

grade_clauses
    : %empty                         { $$ = ARENA_NEW(A, GradeRule); }
    | grade_clauses QUOTA expr       { $$ = $1; $$->quota = $3; }
    | grade_clauses WHEN expr        { $$ = $1; $$->when = $3; }
    | grade_clauses REQUIRE expr     { $$ = $1; $$->require = $3; }
    ;

expr
    : NUMBER                         { $$ = ast_expr(A, E_NUM, @$); $$->num = $1.value; $$->is_percent = $1.percent; }
    | STRING                         { $$ = ast_expr(A, E_STR, @$); $$->str = $1; }
    | BOOL                           { $$ = ast_expr(A, E_BOOL, @$); $$->boolean = $1; }
    | ID                             { $$ = ast_expr(A, E_NAME, @$); $$->name = $1; $$->name_span = @1; }
    | expr '.' ID                    { $$ = ast_expr(A, E_FIELD, @$); $$->a = $1; $$->name = $3; $$->name_span = @3; }
    | expr '.' GRADES                { $$ = mk_field(ctx, $1, @3, @$); }
    | expr '.' VETO                  { $$ = mk_field(ctx, $1, @3, @$); }
    | ID '(' opt_args opt_where ')'  { $$ = mk_call(ctx, $1, @1, $3, $4, @$); }
    | '[' args ']'                   { $$ = ast_expr(A, E_LIST, @$); $$->args = $2; }
    | '(' expr ')'                   { $$ = $2; $$->span = @$; }
    | '-' expr %prec UMINUS          { $$ = ast_unary(A, OP_NEG, $2, @1); }
    | NOT expr                       { $$ = ast_unary(A, OP_NOT, $2, @1); }
    | expr '+' expr                  { $$ = ast_binary(A, OP_ADD, $1, $3); }
    | expr '-' expr                  { $$ = ast_binary(A, OP_SUB, $1, $3); }
    | expr '*' expr                  { $$ = ast_binary(A, OP_MUL, $1, $3); }
    | expr '/' expr                  { $$ = ast_binary(A, OP_DIV, $1, $3); }
    | expr EQ expr                   { $$ = ast_binary(A, OP_EQ, $1, $3); }
    | expr NE expr                   { $$ = ast_binary(A, OP_NE, $1, $3); }
    | expr '<' expr                  { $$ = ast_binary(A, OP_LT, $1, $3); }
    | expr LE expr                   { $$ = ast_binary(A, OP_LE, $1, $3); }
    | expr '>' expr                  { $$ = ast_binary(A, OP_GT, $1, $3); }
    | expr GE expr                   { $$ = ast_binary(A, OP_GE, $1, $3); }
    | expr AND expr                  { $$ = ast_binary(A, OP_AND, $1, $3); }
    | expr OR expr                   { $$ = ast_binary(A, OP_OR, $1, $3); }
    | expr IN expr                   { $$ = ast_expr(A, E_IN, @$); $$->a = $1; $$->b = $3; }
    | IF expr THEN expr ELSE expr    { $$ = ast_expr(A, E_IF, @$); $$->a = $2; $$->b = $4; $$->c = $6; }
    ;

/* A step table: a one-argument function of banded values. A band open below
** (`to HI`) can only come first: after a value, 'to' continues it (A to B). */
step_decl
    : STEP ID FIRST '{' step_bands '}'
                                     { $$ = mk_step(ctx, $2, @2, false, $5, @$); }
    | STEP ID UNIQUE '{' step_bands '}'
                                     { $$ = mk_step(ctx, $2, @2, true, $5, @$); }
    ;

step_bands
    : %empty                         { $$ = (PtrVec){0}; }
    | step_first                     { $$ = (PtrVec){0}; ptrvec_push(A, &$$, $1); }
    | step_bands step_band           { $$ = $1; ptrvec_push(A, &$$, $2); }
    | step_bands ';'                 { $$ = $1; }
    | step_bands error               { $$ = $1; }
    ;

step_first
    : TO expr FATARROW step_value    { $$ = $4; $$->hi = $2; $$->span = @$; }
    ;

step_band
    : FROM expr TO expr FATARROW step_value
                                     { $$ = $6; $$->lo = $2; $$->hi = $4; $$->span = @$; }
    | FROM expr FATARROW step_value  { $$ = $4; $$->lo = $2; $$->span = @$; }
    ;

step_value
    : expr                           { $$ = ARENA_NEW(A, StepBand); $$->val = $1; }
    | expr TO expr                   { $$ = ARENA_NEW(A, StepBand); $$->val = $1; $$->val_to = $3; }
    ;

/* ---- tests: rows of data, expectations, and declarations of their own ---- */

test_block
    : TEST STRING '{' test_items '}' { $$ = $4; $$->name = $2; $$->name_span = @2; $$->span = @$; }
    ;

test_items
    : %empty                         { $$ = ARENA_NEW(A, TestBlock); }
    | test_items decl                { $$ = $1; if ($2) { $2->src = ctx->src; $2->in_test = true;
                                                          ptrvec_push(A, &$$->decls, $2); } }
    | test_items test_rows           { $$ = $1; ptrvec_push(A, &$$->tables, $2); }
    | test_items expect              { $$ = $1; ptrvec_push(A, &$$->expects, $2); }
    | test_items ';'                 { $$ = $1; }
    | test_items error               { $$ = $1; }
    ;

test_rows
    : ID '(' names ')' '{' test_row_list '}'
                                     { $$ = ARENA_NEW(A, TestRows); $$->table = $1; $$->table_span = @1;
                                       $$->span = span_join(@1, @4); $$->cols = $3; $$->rows = $6; }
    ;

/* Rows are told apart by the missing comma between them (one row a line). */
test_row_list
    : %empty                         { $$ = (PtrVec){0}; }
    | test_row_list test_row         { $$ = $1; ptrvec_push(A, &$$, $2); }
    | test_row_list ';'              { $$ = $1; }
    | test_row_list error            { $$ = $1; }
    ;

test_row
    : cell                           { $$ = ARENA_NEW(A, TestRow); $$->span = @$; ptrvec_push(A, &$$->cells, $1); }
    | test_row ',' cell              { $$ = $1; $$->span = @$; ptrvec_push(A, &$$->cells, $3); }
    ;

expect
    : EXPECT expr                    { $$ = mk_expect(ctx, $2, NULL, false, @$); }
    | EXPECT expr CONTAINS expr      { $$ = mk_expect(ctx, $2, $4, false, @$); }
    | EXPECT expr NOT CONTAINS expr  { $$ = mk_expect(ctx, $2, $5, true, @$); }
    | EXPECT expr NOT_CONTAINS expr  { $$ = mk_expect(ctx, $2, $4, true, @$); }
    | EXPECT expr EQ UNGRADED        { Expr *u = ast_expr(A, E_STR, @4); u->str = "不定等次";
                                       $$ = mk_expect(ctx, ast_binary(A, OP_EQ, $2, u), NULL, false, @$); }
    | EXPECT expr NE UNGRADED        { Expr *u = ast_expr(A, E_STR, @4); u->str = "不定等次";
                                       $$ = mk_expect(ctx, ast_binary(A, OP_NE, $2, u), NULL, false, @$); }
    ;

opt_args
    : %empty                         { $$ = (PtrVec){0}; }
    | args                           { $$ = $1; }
    ;

args
    : expr                           { $$ = (PtrVec){0}; ptrvec_push(A, &$$, $1); }
    | args ',' expr                  { $$ = $1; ptrvec_push(A, &$$, $3); }
    ;

opt_where
    : %empty                         { $$ = NULL; }
    | WHERE expr                     { $$ = $2; }
    ;

%%

static void kp_yyerror(Span *loc, void *scanner, struct ParseCtx *ctx, const char *msg)
{
    (void)scanner;
    /* Recovery may fail again on the same token; one report per place is enough. */
    if (ctx->last_error == loc->start + 1) return;
    ctx->last_error = loc->start + 1;
    if (strncmp(msg, "syntax error, ", 14) == 0) msg += 14;
    diag_at(ctx->diags, DIAG_ERROR, ctx->src, *loc, "%s", msg);
}

static Expr *mk_call(struct ParseCtx *ctx, const char *name, Span name_span, PtrVec args,
                     Expr *where, Span sp)
{
    Expr *e = ast_expr(ctx->arena, E_CALL, sp);
    e->name = name;
    e->name_span = name_span;
    e->args = args;
    e->where = where;
    return e;
}

static Indicator *mk_indicator(struct ParseCtx *ctx, const char *name, Span name_span,
                               Expr *weight, Indicator *body, Span sp)
{
    (void)ctx;
    body->name = name;
    body->name_span = name_span;
    body->span = sp;
    body->weight = weight;
    return body;
}

static Cell *mk_cell(struct ParseCtx *ctx, const char *text, Span sp)
{
    Cell *c = ARENA_NEW(ctx->arena, Cell);
    c->span = sp;
    if (text) {
        c->text = text;
        return c;
    }
    /* A number keeps its text ("87.35", "85%"); a minus sign may stand apart from it. */
    const char *t = ctx->src->text + sp.start;
    size_t n = sp.end - sp.start;
    if (*t == '-') {
        do
            t++, n--;
        while (*t == ' ' || *t == '\t');
        c->text = arena_printf(ctx->arena, "-%.*s", (int)n, t);
    } else {
        c->text = arena_strndup(ctx->arena, t, n);
    }
    return c;
}

static Expect *mk_expect(struct ParseCtx *ctx, Expr *e, Expr *item, bool negated, Span sp)
{
    Expect *x = ARENA_NEW(ctx->arena, Expect);
    x->span = sp;
    x->src = ctx->src;
    x->e = e;
    x->item = item;
    x->contains = item != NULL;
    x->negated = negated;
    return x;
}

/* a.等次, a.一票否决: fields named like a keyword (what a test asks of a person). */
static Expr *mk_field(struct ParseCtx *ctx, Expr *a, Span name_span, Span sp)
{
    Expr *e = ast_expr(ctx->arena, E_FIELD, sp);
    e->a = a;
    e->name = arena_strndup(ctx->arena, ctx->src->text + name_span.start,
                            name_span.end - name_span.start);
    e->name_span = name_span;
    return e;
}

static DatedValue *mk_dated(struct ParseCtx *ctx, Expr *value, const char *from, Span at)
{
    DatedValue *v = ARENA_NEW(ctx->arena, DatedValue);
    v->value = value;
    v->from = from;
    v->at = at;
    return v;
}

/* The table's input is a parameter no written name can equal (a space leads
** it), so a param named like it in a bound still means the param. */
static Decl *mk_step(struct ParseCtx *ctx, const char *name, Span name_span, bool unique,
                     PtrVec bands, Span sp)
{
    Decl *d = ast_decl(ctx->arena, D_FUNC, sp);
    d->name = name;
    d->name_span = name_span;
    d->step = true;
    d->step_unique = unique;
    d->bands = bands;
    Expr *x = ast_expr(ctx->arena, E_NAME, name_span);
    x->name = " x";
    x->name_span = name_span;
    ptrvec_push(ctx->arena, &d->keys, x);
    return d;
}

Program *parse_program(Arena *a, Source *src, Diags *d)
{
    struct ParseCtx ctx = {a, src, d, ARENA_NEW(a, Program), 0};
    ctx.prog->src = src;
    yyscan_t scanner;
    kp_yylex_init_extra(&ctx, &scanner);
    YY_BUFFER_STATE buf = kp_yy_scan_bytes(src->text, (int)src->len, scanner);
    kp_yyparse(scanner, &ctx);
    kp_yy_delete_buffer(buf, scanner);
    kp_yylex_destroy(scanner);
    return ctx.prog;
}

char *lex_dump(Arena *a, Source *src, Diags *d)
{
    struct ParseCtx ctx = {a, src, d, ARENA_NEW(a, Program), 0};
    yyscan_t scanner;
    kp_yylex_init_extra(&ctx, &scanner);
    YY_BUFFER_STATE buf = kp_yy_scan_bytes(src->text, (int)src->len, scanner);
    YYSTYPE v;
    Span loc;
    char *out = arena_strdup(a, "");
    int tok;
    while ((tok = kp_yylex(&v, &loc, scanner)) != 0) {
        const char *name = yysymbol_name(YYTRANSLATE(tok));
        out = arena_printf(a, "%s%s%s@%u-%u", out, *out ? " " : "", name, loc.start, loc.end);
    }
    kp_yy_delete_buffer(buf, scanner);
    kp_yylex_destroy(scanner);
    return out;
}

int lex_tokens(Arena *a, Source *src, Diags *d, LexToken **out)
{
    struct ParseCtx ctx = {a, src, d, ARENA_NEW(a, Program), 0};
    yyscan_t scanner;
    kp_yylex_init_extra(&ctx, &scanner);
    YY_BUFFER_STATE buf = kp_yy_scan_bytes(src->text, (int)src->len, scanner);
    YYSTYPE v;
    Span loc;
    int n = 0, cap = 256, tok;
    LexToken *toks = ARENA_ARR(a, LexToken, cap);
    while ((tok = kp_yylex(&v, &loc, scanner)) != 0) {
        if (n == cap) {
            LexToken *bigger = ARENA_ARR(a, LexToken, cap * 2);
            memcpy(bigger, toks, sizeof *toks * (size_t)n);
            toks = bigger;
            cap *= 2;
        }
        toks[n++] = (LexToken){tok, loc};
    }
    kp_yy_delete_buffer(buf, scanner);
    kp_yylex_destroy(scanner);
    *out = toks;
    return n;
}
