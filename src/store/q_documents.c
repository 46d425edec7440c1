/*
** Queries of the documents module: numbering sequences, issued documents and their public
** verification, and the permits, enterprises and org units a document needs.
*/
#include "store/q_documents.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/util.h"

static void col_copy(struct db_stmt *st, int i, char *out, size_t cap)
{
    snprintf(out, cap, "%s", db_column_text(st, i, NULL));
}

/* Step a one-row SELECT: 0 with the statement on the row (caller reads and finishes), or
   ERR_NOTFOUND / an error with the statement finished. */
static int one_row(struct db_stmt *st)
{
    int s = db_step(st);
    if (s != DB_ROW) {
        db_done(st);
        return s < 0 ? s : ERR_NOTFOUND;
    }
    return 0;
}

int store_doc_org_unit(struct db *db, int64_t id, struct doc_org *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, name, doc_prefix FROM org_units WHERE id = ?1 AND status ="
                       " 'active'",
                       "i", id);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    out->id = db_column_int(st, 0);
    col_copy(st, 1, out->name, sizeof out->name);
    col_copy(st, 2, out->prefix, sizeof out->prefix);
    db_done(st);
    return 0;
}

int store_doc_org_regions(struct db *db, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT r.org_unit_id, r.region_code FROM org_unit_regions r JOIN"
                        " org_units u ON u.id = r.org_unit_id WHERE u.status = 'active' ORDER BY"
                        " r.org_unit_id",
                        &st);
    return rc ? rc : db_each(st, row, ctx);
}

int store_doc_org_root(struct db *db, int64_t *id)
{
    struct db_stmt *st;
    int rc = db_prepare(db,
                        "SELECT id FROM org_units WHERE parent_id IS NULL AND status = 'active'"
                        " ORDER BY id LIMIT 1",
                        &st);
    if (rc || (rc = db_step_id(st, id))) {
        return rc;
    }
    return *id ? 0 : ERR_NOTFOUND;
}

int store_doc_prefix_default(struct db *db, const char *name, const char *prefix)
{
    return db_runf(db, "UPDATE org_units SET doc_prefix = ?2 WHERE name = ?1 AND doc_prefix = ''",
                   "tt", name, prefix);
}

int store_doc_seq_next(struct db *db, int64_t org_unit_id, int year, const char *series,
                       int64_t *seq)
{
    int rc = db_runf(db,
                     "INSERT INTO doc_sequences (org_unit_id, year, series, last) VALUES (?1, ?2,"
                     " ?3, 0) ON CONFLICT DO NOTHING",
                     "iit", org_unit_id, (int64_t)year, series);
    struct db_stmt *st;
    if (!rc) {
        rc = db_queryf(db, &st,
                       "UPDATE doc_sequences SET last = last + 1 WHERE org_unit_id = ?1 AND year ="
                       " ?2 AND series = ?3 RETURNING last",
                       "iit", org_unit_id, (int64_t)year, series);
    }
    if (!rc) {
        rc = db_step_id(st, seq);
    }
    return rc ? rc : (*seq > 0 ? 0 : ERR_DB);
}

int store_doc_insert(struct db *db, const struct doc_row *d, int64_t *id)
{
    struct db_stmt *st;
    int rc =
        db_prepare(db,
                   "INSERT INTO documents (kind, number, org_unit_id, year, series, seq, title,"
                   " enterprise_id, subject_kind, subject_id, dedup_key, case_id,"
                   " attachment_id, sha256, size, issue_date, issued_at, issued_by,"
                   " verify_token, rule_set_id, rule_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                   " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
                   " RETURNING id",
                   &st);
    if (rc) {
        return rc;
    }
    char now[32];
    time_iso(wall_ms() / 1000, now);
    db_bind_text(st, 1, d->kind, (size_t)-1);
    db_bind_text(st, 2, d->number, (size_t)-1);
    db_bind_int(st, 3, d->org_unit_id);
    db_bind_int(st, 4, d->year);
    db_bind_text(st, 5, d->series, (size_t)-1);
    db_bind_int(st, 6, d->seq);
    db_bind_text(st, 7, d->title, (size_t)-1);
    d->enterprise_id ? db_bind_int(st, 8, d->enterprise_id) : db_bind_null(st, 8);
    db_bind_text(st, 9, d->subject_kind ? d->subject_kind : "", (size_t)-1);
    d->subject_id ? db_bind_int(st, 10, d->subject_id) : db_bind_null(st, 10);
    db_bind_text(st, 11, d->dedup_key, (size_t)-1);
    d->case_id ? db_bind_int(st, 12, d->case_id) : db_bind_null(st, 12);
    db_bind_int(st, 13, d->attachment_id);
    db_bind_text(st, 14, d->sha256, (size_t)-1);
    db_bind_int(st, 15, d->size);
    db_bind_text(st, 16, d->issue_date, (size_t)-1);
    db_bind_text(st, 17, now, (size_t)-1);
    d->issued_by ? db_bind_int(st, 18, d->issued_by) : db_bind_null(st, 18);
    db_bind_text(st, 19, d->verify_token, (size_t)-1);
    d->rule_set_id ? db_bind_int(st, 20, d->rule_set_id) : db_bind_null(st, 20);
    d->rule_set_id ? db_bind_int(st, 21, d->rule_version) : db_bind_null(st, 21);
    return db_step_id(st, id);
}

int store_doc_find(struct db *db, const char *kind, const char *dedup_key, char number[96])
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT number FROM documents WHERE kind = ?1 AND dedup_key = ?2",
                       "tt", kind, dedup_key);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    col_copy(st, 0, number, 96);
    db_done(st);
    return 0;
}

int store_doc_enterprise(struct db *db, int64_t id, struct doc_enterprise *out)
{
    struct db_stmt *st;
    int rc = db_queryf(
        db, &st, "SELECT id, name, region_code, status FROM enterprises WHERE id = ?1", "i", id);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    out->id = db_column_int(st, 0);
    col_copy(st, 1, out->name, sizeof out->name);
    col_copy(st, 2, out->region_code, sizeof out->region_code);
    col_copy(st, 3, out->status, sizeof out->status);
    db_done(st);
    return 0;
}

int store_doc_permit(struct db *db, int64_t id, struct doc_permit *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT id, enterprise_id, number, valid_to, status FROM permits WHERE id ="
                       " ?1",
                       "i", id);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    out->id = db_column_int(st, 0);
    out->enterprise_id = db_column_int(st, 1);
    col_copy(st, 2, out->number, sizeof out->number);
    col_copy(st, 3, out->valid_to, sizeof out->valid_to);
    col_copy(st, 4, out->status, sizeof out->status);
    db_done(st);
    return 0;
}

int store_doc_permits_due(struct db *db, const char *today, const char *until, const char *kind,
                          int64_t limit, void (*row)(struct db_stmt *st, void *ctx), void *ctx)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT p.id FROM permits p JOIN enterprises e ON e.id = p.enterprise_id"
                       " WHERE p.status = 'active' AND e.status = 'active' AND p.valid_to >= ?1"
                       " AND p.valid_to <= ?2 AND NOT EXISTS (SELECT 1 FROM documents d WHERE"
                       " d.kind = ?3 AND d.dedup_key = 'permit:' || p.id || ':' || p.valid_to)"
                       " ORDER BY p.valid_to, p.id LIMIT ?4",
                       "ttti", today, until, kind, limit);
    return rc ? rc : db_each(st, row, ctx);
}

#define DOC_COLUMNS                                                                                \
    "d.id, d.kind, d.number, d.title, d.issue_date, d.issued_at, d.sha256, d.size,"                \
    " d.attachment_id, d.enterprise_id, d.subject_kind, d.subject_id, d.case_id, d.status,"        \
    " d.verify_token, u.name AS org_unit_name, COALESCE(us.display_name, '') AS issued_by_name,"   \
    " d.rule_set_id, d.rule_version, (SELECT kind FROM rule_sets WHERE id = d.rule_set_id) AS"     \
    " rule_kind, (SELECT region_prefix FROM rule_sets WHERE id = d.rule_set_id) AS rule_region"    \
    " FROM documents d JOIN org_units u ON u.id = d.org_unit_id LEFT JOIN users us ON us.id ="     \
    " d.issued_by"

int store_doc_list(struct db *db, int64_t enterprise_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT " DOC_COLUMNS " WHERE d.enterprise_id = ?1 ORDER BY d.id DESC"
                       " LIMIT 500",
                       "i", enterprise_id);
    if (rc) {
        return rc;
    }
    buf_puts(out, "{\"items\":");
    rc = db_rows_json(st, 1, 0, out, NULL);
    buf_putc(out, '}');
    db_done(st);
    return rc;
}

int store_doc_get(struct db *db, int64_t id, int64_t *enterprise_id, struct buf *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st, "SELECT " DOC_COLUMNS " WHERE d.id = ?1", "i", id);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    *enterprise_id = db_column_int(st, 9);
    db_row_json(st, out);
    db_done(st);
    return 0;
}

int store_doc_by_token(struct db *db, const char *token, struct doc_public *out)
{
    struct db_stmt *st;
    int rc = db_queryf(db, &st,
                       "SELECT d.number, d.title, d.kind, d.issue_date, COALESCE(e.name, ''),"
                       " u.name, d.sha256, d.status, COALESCE(r.kind, ''), d.rule_set_id,"
                       " d.rule_version FROM documents d LEFT JOIN rule_sets r ON r.id ="
                       " d.rule_set_id JOIN org_units u ON u.id ="
                       " d.org_unit_id LEFT JOIN enterprises e ON e.id = d.enterprise_id WHERE"
                       " d.verify_token = ?1",
                       "t", token);
    if (rc || (rc = one_row(st))) {
        return rc;
    }
    col_copy(st, 0, out->number, sizeof out->number);
    col_copy(st, 1, out->title, sizeof out->title);
    col_copy(st, 2, out->kind, sizeof out->kind);
    col_copy(st, 3, out->issue_date, sizeof out->issue_date);
    col_copy(st, 4, out->enterprise, sizeof out->enterprise);
    col_copy(st, 5, out->org_unit, sizeof out->org_unit);
    col_copy(st, 6, out->sha256, sizeof out->sha256);
    col_copy(st, 7, out->status, sizeof out->status);
    col_copy(st, 8, out->rule_kind, sizeof out->rule_kind);
    out->rule_set_id = db_column_int(st, 9);
    out->rule_version = db_column_int(st, 10);
    db_done(st);
    return 0;
}

/* The kinds of record the documents module writes to the audit log (store.h struct audit_kind). */
const struct audit_kind documents_audit_kinds[] = {
    {"document",
     "(SELECT COALESCE(e.name || ' · ', '') || d.number FROM documents d LEFT JOIN enterprises e"
     " ON e.id = d.enterprise_id WHERE d.id = ?5)",
     NULL},
    {0},
};
