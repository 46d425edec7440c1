/*
** Region allocator: a singly linked list of blocks, bump allocation inside the head block.
** Large requests get a block of their own so small allocations keep packing.
*/
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

struct arena_block {
    struct arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 8192;
    a->total = 0;
}

void arena_free(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void arena_reset(struct arena *a)
{
    if (!a->head) {
        return;
    }
    /* Keep the oldest block of the default size (oversized one-offs may sit anywhere in the
       list, even behind it); free everything else. */
    struct arena_block *keep = NULL;
    for (struct arena_block *b = a->head; b; b = b->next) {
        if (b->size == a->block_size) {
            keep = b;
        }
    }
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        if (b != keep) {
            free(b);
        }
        b = next;
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->total = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) {
        n = 16;
    }
    struct arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size / 2 ? n : a->block_size;
        struct arena_block *nb = xmalloc(sizeof *nb + size);
        nb->size = size;
        nb->used = 0;
        if (b && size == n && b->size - b->used >= 256) {
            /* Oversized one-off: slot it behind the head so the head keeps filling. */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            a->total += n;
            return nb->data;
        }
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->total += n;
    return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n) {
        memcpy(p, s, n);
    }
    p[n] = 0;
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return arena_strdup(a, "");
    }
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
