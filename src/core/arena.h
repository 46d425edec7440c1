/*
** Region allocator. Each HTTP request and each ingest batch owns one arena; everything
** allocated from it dies with arena_free(). Allocation never fails (aborts on OOM).
** Not thread-safe: one owner at a time.
*/
#ifndef ENVGOV_CORE_ARENA_H
#define ENVGOV_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
    size_t block_size; /* default size of new blocks */
    size_t total;      /* bytes handed out, for metrics and caps */
};

/* Initialise an arena whose blocks are block_size bytes (0 picks 8 KiB). */
void arena_init(struct arena *a, size_t block_size);
/* Release every block; the arena may be reused after arena_init(). */
void arena_free(struct arena *a);
/* Forget all allocations but keep the first block for reuse. */
void arena_reset(struct arena *a);
/* n bytes aligned to 16, uninitialised. */
void *arena_alloc(struct arena *a, size_t n);
/* n zeroed bytes. */
void *arena_zalloc(struct arena *a, size_t n);
/* NUL-terminated copy of s[0..n). */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

#endif
