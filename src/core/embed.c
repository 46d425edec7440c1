/*
** Lookup in the embedded file table (sorted by path at build time).
*/
#include "core/embed.h"

#include <string.h>

const struct embed_file *embed_find(const char *path)
{
    size_t lo = 0, hi = embed_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(embed_files[mid].path, path);
        if (c == 0) {
            return &embed_files[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}
