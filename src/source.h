/*
** source.h — a loaded rule file and the mapping from byte offsets to
** line/column (columns count code points, 1-based).
*/
#ifndef KP_SOURCE_H
#define KP_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct Source {
    char *path; /* owned */
    char *text; /* owned, NUL-terminated */
    size_t len;
    uint32_t *line_starts; /* byte offset of each line start */
    size_t nlines;
} Source;

typedef struct Span {
    uint32_t start, end; /* byte offsets [start, end) */
} Span;

/* Reads a file; returns NULL and sets *errmsg (static or strerror text) on failure. */
Source *source_load(const char *path, const char **errmsg);
/* Reads f to its end (a pipe works too); path names the text in diagnostics. */
Source *source_read(FILE *f, const char *path, const char **errmsg);
Source *source_from_mem(const char *path, const char *text, size_t len);
void source_free(Source *s);

/* 1-based line and code-point column of a byte offset. */
void source_linecol(const Source *s, uint32_t off, uint32_t *line, uint32_t *col);
/* Start and length (bytes, without the newline or CR) of 1-based line. */
const char *source_line(const Source *s, uint32_t line, size_t *len);

/* The comment that ends the line of byte offset `off`, when only blanks (and
** a '?', the mark that ends an optional column's type) stand between them:
** its text without the '#' or '//' and without surrounding blanks, length in
** *len. NULL when the rest of the line is not a comment or the comment is empty. */
const char *source_comment_after(const Source *s, uint32_t off, size_t *len);
/* The text of sp on one line: each run of blanks and line ends becomes one
** space; cut with "…" after max_points code points other than blanks (0: no
** limit). out holds at least sp.end - sp.start + 4 bytes. */
void source_flatten(const Source *s, Span sp, size_t max_points, char *out);

/* Validates UTF-8; returns the byte offset of the first bad byte or (size_t)-1. */
size_t utf8_invalid_at(const char *s, size_t len);
/* Number of code points in s[0..len). */
size_t utf8_count(const char *s, size_t len);
/* Display width of s[0..len) in columns: 2 for CJK and full-width characters. */
size_t utf8_width(const char *s, size_t len);

#endif
