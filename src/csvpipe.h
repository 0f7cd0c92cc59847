/*
** csvpipe.h — a CSV reader that scans ahead on a second thread.
**
** The same records, lines, columns and errors as csv_next, in the same order,
** but the file is read and split into fields by a producer thread while the
** caller parses the records before. Small inputs are read on the caller's
** thread: a thread only pays for itself on large files.
*/
#ifndef KP_CSVPIPE_H
#define KP_CSVPIPE_H

#include "csv.h"

typedef struct CsvPipe CsvPipe;

/* Takes ownership of r; reads ahead on a thread when threaded is true. */
CsvPipe *csvpipe_new(CsvReader *r, bool threaded, CsvError *err);
/* Opens path, with a thread when the file is large enough to gain from one. */
CsvPipe *csvpipe_open(const char *path, CsvError *err);
/* Stops the producer (even mid-file, after an error) and frees everything. */
void csvpipe_close(CsvPipe *p);

/* As csv_next: 1 with the record, 0 at the end, -1 on a malformed record. */
int csvpipe_next(CsvPipe *p, const CsvField **fields, size_t *nfields, CsvError *err);
uint32_t csvpipe_record_line(const CsvPipe *p);
void csvpipe_field_pos(const CsvPipe *p, size_t i, uint32_t *line, uint32_t *col);

#endif
