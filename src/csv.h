/*
** csv.h — streaming RFC 4180 reader.
**
** Reads a file record by record without holding it whole: quoted fields,
** embedded commas, doubled quotes and newlines, LF or CRLF line ends, a UTF-8
** BOM at the start is skipped, and every field is checked to be valid UTF-8.
** A record's fields stay valid until the next call to csv_next; they lie in
** order in one block of memory, each followed by its NUL.
*/
#ifndef KP_CSV_H
#define KP_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CsvReader CsvReader;

typedef struct CsvField {
    const char *ptr; /* field text, quotes removed and "" undone; NUL-terminated */
    size_t len;
    bool quoted; /* the field was written in quotes */
} CsvField;

typedef struct CsvError {
    uint32_t line; /* 1-based physical line where the problem is */
    uint32_t col;  /* 1-based column in code points */
    char msg[160]; /* e.g. "unterminated quoted field", "invalid UTF-8 byte 0xff" */
} CsvError;

/* Opens path for reading. On failure returns NULL and fills err->msg (line 0). */
CsvReader *csv_open(const char *path, CsvError *err);
/* Reads only bytes [off, off + len) of path, as if they were the file; line
** numbers count from the first of them. A part of a file loaded in parallel
** with the rest (load_par.c). */
CsvReader *csv_open_range(const char *path, uint64_t off, uint64_t len, CsvError *err);
/* Reads from a memory buffer (copied); name is unused except for tests. */
CsvReader *csv_open_mem(const char *data, size_t len, CsvError *err);
void csv_close(CsvReader *r);
/* Whether unquoted text is scanned with AVX2: on by default where the
** processor has it; tests turn it off to check the other scan, which reads
** the same records. */
void csv_scan_avx2(CsvReader *r, bool on);

/* Reads the next record. Returns 1 with *fields and *nfields set, 0 at end of
** input, -1 on a malformed record (err filled). A blank final line is not a
** record; an empty line in the middle is a record with one empty field. */
int csv_next(CsvReader *r, const CsvField **fields, size_t *nfields, CsvError *err);

/* Physical line on which the last returned record started. */
uint32_t csv_record_line(const CsvReader *r);
/* Line and code-point column where field i of the last record starts
** (computed on demand, for error messages). */
void csv_field_pos(const CsvReader *r, size_t i, uint32_t *line, uint32_t *col);
/* The same for a record kept elsewhere: its nf fields and the line it started on. */
void csv_fields_pos(const CsvField *f, size_t nf, uint32_t rec_line, size_t i, uint32_t *line,
                    uint32_t *col);

#endif
