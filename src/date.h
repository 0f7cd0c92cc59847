/*
** date.h — calendar dates as days since 1970-01-01 (proleptic Gregorian).
*/
#ifndef KP_DATE_H
#define KP_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Parses exactly YYYY-MM-DD; returns 0 when malformed or not a real date. */
int date_parse(const char *s, size_t n, int32_t *days);
/* The same check without the conversion, for a column nothing reads. */
int date_valid(const char *s, size_t n);
/* Writes YYYY-MM-DD and a NUL into buf (at least 11 bytes). */
void date_format(int32_t days, char *buf);
void date_split(int32_t days, int *y, int *m, int *d);

#endif
