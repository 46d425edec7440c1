/*
** The draw module's descriptor: routes, the inspection case type (registered at start), its
** to-do source, and `envgov draw verify FILE SEED`, which replays a snapshot offline.
*/
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "draw/internal.h"
#include "platform/cli.h"
#include "store/q_draw.h"

void draw_routes(struct router *rt);

static int start(char *err, size_t cap)
{
    (void)err;
    (void)cap;
    draw_inspection_register();
    return 0;
}

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(out, chunk, n);
    }
    fclose(f);
    return out->overflow ? -1 : 0;
}

/* envgov draw verify FILE SEED [--commitment HEX] */
static int cmd_draw(const struct cli *c)
{
    if (c->n_args != 3 || strcmp(c->args[0], "verify")) {
        fprintf(stderr, "usage: envgov draw verify SNAPSHOT_FILE SEED_HEX [--commitment HEX]\n");
        return 2;
    }
    struct buf file;
    buf_init(&file, DRAW_SNAPSHOT_MAX);
    if (read_file(c->args[1], &file)) {
        fprintf(stderr, "draw verify: cannot read %s\n", c->args[1]);
        buf_release(&file);
        return 2;
    }
    unsigned char seed[32], h[32];
    char seed_sha[65], snap_sha[65], err[400] = "";
    if (draw_hex32(c->args[2], seed)) {
        fprintf(stderr, "draw verify: the seed must be 64 hex digits\n");
        buf_release(&file);
        return 2;
    }
    crypto_hash_sha256(h, seed, sizeof seed);
    hex_encode(h, sizeof h, seed_sha);
    sha256_hex(file.p, file.len, snap_sha);
    printf("snapshot_sha256\t%s\nseed_sha256\t%s\n", snap_sha, seed_sha);
    const char *want = cli_opt(c, "commitment");
    int rc = 0;
    if (want && strcmp(want, seed_sha)) {
        fprintf(stderr, "draw verify: SHA-256 of the seed is %s, not the commitment %s\n", seed_sha,
                want);
        rc = 1;
    }
    struct buf lines;
    buf_init(&lines, DRAW_SNAPSHOT_MAX);
    if (!rc && draw_replay_text(file.p, file.len, c->args[2], &lines, err, sizeof err)) {
        fprintf(stderr, "draw verify: %s\n", err);
        rc = 1;
    }
    if (!rc) {
        fwrite(lines.p, 1, lines.len, stdout);
    }
    buf_release(&lines);
    buf_release(&file);
    return rc;
}

static const char *const draw_opts[] = {"commitment", NULL};

static const struct module_command commands[] = {
    {"draw", cmd_draw,
     "replay a 双随机 draw from its snapshot and revealed seed: the targets and inspectors",
     "envgov draw verify SNAPSHOT_FILE SEED_HEX [--commitment SHA256_OF_SEED]\n"
     "  prints the snapshot's and the seed's SHA-256, then one line per target:\n"
     "  seq TAB enterprise_id TAB category TAB inspector user ids (comma-separated)",
     draw_opts},
};

const struct module draw_module = {
    .name = "draw",
    .routes = draw_routes,
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .start = start,
    .todo_sources = draw_todo_sources,
    .n_todo_sources = 1, /* draw_todo_sources (inspection.c) */
    .audit_kinds = draw_audit_kinds,
    .dashboard = draw_dashboard,
};
