/*
** Files embedded into the binary at build time (scripts/embed.py): web/, data/ and
** src/store/migrations/. Paths are relative to the source root ("web/index.html").
*/
#ifndef ENVGOV_CORE_EMBED_H
#define ENVGOV_CORE_EMBED_H

#include <stddef.h>

struct embed_file {
    const char *path;
    const unsigned char *data; /* NUL-terminated for convenience; size excludes it */
    size_t size;
    const char *etag; /* first 16 hex chars of sha256 */
};

extern const struct embed_file embed_files[];
extern const unsigned embed_count;

/* The embedded file at path, or NULL. */
const struct embed_file *embed_find(const char *path);

#endif
