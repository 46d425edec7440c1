/*
** Attachment metadata (the bytes live content-addressed under DATA/attachments/).
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"
#include "store/store.h"

int store_attachment_insert(struct db *db, const struct attachment_row *a, int64_t uploaded_by,
                            int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO attachments (sha256, name, content_type, size, entity,"
                        " entity_id, enterprise_id, uploaded_by, created_at, case_id) VALUES (?1,"
                        " ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, CASE WHEN ?5 = 'case' THEN ?6 END)"
                        " RETURNING id",
                        &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_text(st, 1, a->sha256, (size_t)-1);
    db_bind_text(st, 2, a->name, (size_t)-1);
    db_bind_text(st, 3, a->content_type, (size_t)-1);
    db_bind_int(st, 4, a->size);
    db_bind_text(st, 5, a->entity, (size_t)-1);
    db_bind_int(st, 6, a->entity_id);
    if (a->enterprise_id) {
        db_bind_int(st, 7, a->enterprise_id);
    }
    if (uploaded_by) {
        db_bind_int(st, 8, uploaded_by);
    }
    db_bind_text(st, 9, now, (size_t)-1);
    int s = db_step(st);
    if (s == DB_ROW) {
        *id = db_column_int(st, 0);
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_DB);
}

int store_attachment_get(struct db *db, int64_t id, struct attachment_row *out)
{
    struct db_stmt *st;
    int rc =
        db_prepare(db,
                   "SELECT id, size, entity_id, COALESCE(enterprise_id, 0), sha256, name,"
                   " content_type, entity FROM attachments WHERE id = ?1 AND status = 'active'",
                   &st);
    if (rc) {
        return rc;
    }
    db_bind_int(st, 1, id);
    int s = db_step(st);
    if (s == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_column_int(st, 0);
        out->size = db_column_int(st, 1);
        out->entity_id = db_column_int(st, 2);
        out->enterprise_id = db_column_int(st, 3);
        snprintf(out->sha256, sizeof out->sha256, "%s", db_column_text(st, 4, NULL));
        snprintf(out->name, sizeof out->name, "%s", db_column_text(st, 5, NULL));
        snprintf(out->content_type, sizeof out->content_type, "%s", db_column_text(st, 6, NULL));
        snprintf(out->entity, sizeof out->entity, "%s", db_column_text(st, 7, NULL));
    }
    db_done(st);
    return s == DB_ROW ? 0 : (s < 0 ? s : ERR_NOTFOUND);
}

int store_attachment_list(struct db *db, const char *entity, int64_t entity_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT a.id, a.name, a.content_type, a.size, a.sha256, a.entity,"
                        " a.entity_id, a.created_at, u.display_name AS uploaded_by FROM"
                        " attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE"
                        " a.entity = ?1 AND a.entity_id = ?2 AND a.status = 'active'"
                        " ORDER BY a.id DESC LIMIT 500",
                        &st);
    if (rc) {
        return rc;
    }
    db_bind_text(st, 1, entity, (size_t)-1);
    db_bind_int(st, 2, entity_id);
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_attachment_shas_each(struct db *db, const char *bucket, db_row_fn row, void *ctx)
{
    char lo[3], hi[4];
    snprintf(lo, sizeof lo, "%.2s", bucket);
    snprintf(hi, sizeof hi, "%.2s~", bucket); /* '~' sorts after every hex digit */
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT DISTINCT sha256 FROM attachments WHERE sha256 >= ?1 AND sha256 < ?2"
                       " ORDER BY sha256",
                       "tt", lo, hi);
    return rc ? rc : db_each(st, row, ctx);
}
