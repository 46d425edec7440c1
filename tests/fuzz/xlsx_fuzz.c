/* libFuzzer driver: xlsx_read on arbitrary bytes (zip container, XML parts, references). */
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
    if (xlsx_read(data, size, &a, 1000, 64, &t, err, sizeof err) == 0) {
        for (size_t r = 0; r < t.n_rows; r++) {
            for (size_t c = 0; c < t.n_cols; c++) {
                (void)t.cells[r][c][0];
            }
        }
    }
    arena_free(&a);
    return 0;
}
