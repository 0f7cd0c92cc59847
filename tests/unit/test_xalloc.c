/*
** test_xalloc.c — checked allocation: xcalloc_lines gives zeroed memory
** that starts and ends on cache-line boundaries, so no other block shares a
** line with it.
*/
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "xalloc.h"

Test(xalloc, lines_of_their_own)
{
    const size_t sizes[] = {0, 1, 63, 64, 65, 1000, 4096 + 7};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *p = xcalloc_lines(sizes[i]);
        unsigned char *q = xcalloc_lines(sizes[i]);
        cr_expect_eq((uintptr_t)p % 64, 0, "size %zu", sizes[i]);
        cr_expect_eq((uintptr_t)q % 64, 0, "size %zu", sizes[i]);
        /* each block's last line is its own: the other starts past it */
        size_t lines = (sizes[i] + 63) / 64 * 64;
        cr_expect(q >= p + lines || p >= q + lines, "size %zu: blocks share a line", sizes[i]);
        for (size_t k = 0; k < sizes[i]; k++)
            cr_assert_eq(p[k], 0, "size %zu, byte %zu", sizes[i], k);
        memset(p, 0xff, sizes[i]);
        free(p);
        free(q);
    }
}
