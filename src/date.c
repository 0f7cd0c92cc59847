/*
** date.c — civil-date conversions (after Howard Hinnant's days_from_civil and civil_from_days).
*/
#include "date.h"

/* Days since 1970-01-01 of a date in years 1..9999. Counting years from
** March puts the leap day last, so a year's days before a month are fixed;
** with the year positive no era split is needed. */
static int32_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
    static const uint16_t before[13] = {0, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275};
    y -= m <= 2;
    return (int32_t)(y * 365 + y / 4 - y / 100 + y / 400 + before[m] + d - 1) - 719468;
}

void date_split(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/* A digit's value, or more than 9 for any other byte. */
static inline unsigned digit(char c)
{
    return (unsigned)(unsigned char)c - '0';
}

/* Cells hold dates by the million, so the eight digits are read without a
** loop and the leap-year rule is worked out only for a 29 February. */
static inline int date_fields(const char *s, size_t n, unsigned *yy, unsigned *mm, unsigned *dd)
{
    if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
    unsigned y1 = digit(s[0]), y2 = digit(s[1]), y3 = digit(s[2]), y4 = digit(s[3]);
    unsigned m1 = digit(s[5]), m2 = digit(s[6]), d1 = digit(s[8]), d2 = digit(s[9]);
    if ((y1 > 9) | (y2 > 9) | (y3 > 9) | (y4 > 9) | (m1 > 9) | (m2 > 9) | (d1 > 9) | (d2 > 9))
        return 0;
    unsigned y = y1 * 1000 + y2 * 100 + y3 * 10 + y4, m = m1 * 10 + m2, d = d1 * 10 + d2;
    if (y < 1 || m < 1 || m > 12 || d < 1) return 0;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d > mdays[m - 1] && !(m == 2 && d == 29 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 0;
    *yy = y, *mm = m, *dd = d;
    return 1;
}

int date_parse(const char *s, size_t n, int32_t *days)
{
    unsigned y, m, d;
    if (!date_fields(s, n, &y, &m, &d)) return 0;
    *days = days_from_civil(y, m, d);
    return 1;
}

int date_valid(const char *s, size_t n)
{
    unsigned y, m, d;
    return date_fields(s, n, &y, &m, &d);
}

void date_format(int32_t days, char *buf)
{
    int y, m, d;
    date_split(days, &y, &m, &d);
    y %= 10000;
    if (y < 0) y = -y;
    buf[0] = (char)('0' + y / 1000), buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10), buf[3] = (char)('0' + y % 10), buf[4] = '-';
    buf[5] = (char)('0' + m / 10), buf[6] = (char)('0' + m % 10), buf[7] = '-';
    buf[8] = (char)('0' + d / 10), buf[9] = (char)('0' + d % 10), buf[10] = 0;
}
