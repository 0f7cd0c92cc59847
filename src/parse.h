/*
** parse.h — turning a rule file into a Program (grammar/parser.y and
** grammar/lexer.l do the work; this is their interface to the rest).
*/
#ifndef KP_PARSE_H
#define KP_PARSE_H

#include "ast.h"
#include "diag.h"

typedef struct ParseCtx {
    Arena *arena;
    const Source *src;
    Diags *diags;
    Program *prog;
    uint32_t last_error; /* offset of the last syntax error + 1, to report each place once */
} ParseCtx;

/* Parses src. Syntax errors go to d; the returned Program holds whatever
** declarations parsed cleanly. Never NULL. */
Program *parse_program(Arena *a, Source *src, Diags *d);

/* A token as the parser sees it: its kind (a character such as '(' or a
** token number from parser.h such as ID) and its bytes in the source. */
typedef struct LexToken {
    int kind;
    Span span;
} LexToken;

/* Every token of src, in order (comments and white space are not tokens);
** for the formatter. Lexical errors go to d. Returns the count; the array
** lives in a. */
int lex_tokens(Arena *a, Source *src, Diags *d, LexToken **out);

/* For tests: the token stream as "KIND@start-end" words, one per token. */
char *lex_dump(Arena *a, Source *src, Diags *d);

#endif
