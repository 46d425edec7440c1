/* libFuzzer driver: csv_parse on arbitrary bytes (UTF-8, GB18030, quotes, caps). */
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a, 0);
    struct table t;
    char err[256];
    if (csv_parse((const char *)data, size, &a, 1000, 64, &t, err, sizeof err) == 0) {
        for (size_t r = 0; r < t.n_rows; r++) {
            for (size_t c = 0; c < t.n_cols; c++) {
                (void)t.cells[r][c][0]; /* every cell must be a readable string */
            }
        }
    }
    arena_free(&a);
    return 0;
}
