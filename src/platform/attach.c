/*
** Attachments: multipart upload with type and size limits (declared type must be allowed and
** match the file's leading bytes), content-addressed storage under DATA/attachments/xx/sha256,
** metadata and an audit row in one transaction, listing and download with scope checks, and
** the sweep of blobs no row names (an upload or document whose transaction rolled back).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "platform/app.h"
#include "platform/audit.h"
#include "platform/entity.h"
#include "platform/module.h"
#include "platform/platform.h"

/* Entities that take attachments (each module's attachables), and how to find their enterprise. */
static const struct entity_def *attach_entity(const char *name)
{
    return modules_attachable(name);
}

/* Resolve and check visibility of entity/id; *ent_id gets the owning enterprise (0 for none). */
static int attach_target(struct req *r, struct db *db, const char *entity, int64_t id,
                         int64_t *ent_id)
{
    const struct entity_def *def = attach_entity(entity);
    if (!def) {
        resp_error(r, 422, "invalid",
                   "不支持的附件对象 / attachments are not supported for this entity", "entity");
        return ERR_INPUT;
    }
    *ent_id = 0;
    if (def->enterprise_col && store_entity_owner(db, def, id, ent_id)) {
        return ERR_NOTFOUND;
    }
    if (!def->enterprise_col) {
        struct buf tmp;
        buf_init(&tmp, 1 << 20);
        int rc = r->who->role == ROLE_ENTERPRISE ? ERR_NOTFOUND
                                                 : store_entity_get(db, def, NULL, id, &tmp);
        buf_release(&tmp);
        return rc;
    }
    return entity_enterprise_visible(r, db, *ent_id);
}

static bool type_allowed(const char *type)
{
    const char *list = settings_get("upload_types");
    size_t n = strlen(type);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && !strncmp(p, type, n)) {
            return true;
        }
        p += len + (end ? 1 : 0);
    }
    return false;
}

/* The leading bytes must agree with the declared type (no HTML posing as a PDF). */
static bool magic_ok(const char *type, const struct buf *d)
{
    const unsigned char *p = (const unsigned char *)d->p;
    size_t n = d->len;
    if (!strcmp(type, "application/pdf")) {
        return n >= 5 && !memcmp(p, "%PDF-", 5);
    }
    if (!strcmp(type, "image/png")) {
        return n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8);
    }
    if (!strcmp(type, "image/jpeg")) {
        return n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
    }
    if (strstr(type, "openxmlformats") || !strcmp(type, "application/zip")) {
        return n >= 4 && !memcmp(p, "PK\x03\x04", 4);
    }
    if (!strncmp(type, "text/", 5)) {
        return n == 0 || !memchr(p, 0, n);
    }
    return false;
}

bool attach_file_ok(const char *content_type, const struct buf *d)
{
    return content_type && type_allowed(content_type) && magic_ok(content_type, d);
}

static void blob_path(const char *sha, char *out, size_t cap, bool dir_only)
{
    if (dir_only) {
        snprintf(out, cap, "%s/attachments/%.2s", app.data_dir, sha);
    } else {
        snprintf(out, cap, "%s/attachments/%.2s/%s", app.data_dir, sha, sha);
    }
}

/* Write the bytes once (content-addressed); fsync so the metadata never outlives them. */
int attach_blob_store(const char *sha, const struct buf *d)
{
    char dir[1024], path[1100], tmp[1200];
    snprintf(dir, sizeof dir, "%s/attachments", app.data_dir);
    mkdir(dir, 0750);
    blob_path(sha, dir, sizeof dir, true);
    mkdir(dir, 0750);
    blob_path(sha, path, sizeof path, false);
    /* There already: touched, so the orphan sweep leaves it to the transaction about to name
       it (a sweep that moved it away meanwhile makes this fail, and the bytes are written). */
    if (utimensat(AT_FDCWD, path, NULL, 0) == 0) {
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)gettid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640);
    if (fd < 0) {
        log_error("attachment: cannot create %s: %s", tmp, strerror(errno));
        return ERR_IO;
    }
    size_t off = 0;
    while (off < d->len) {
        ssize_t w = write(fd, d->p + off, d->len - off);
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return ERR_IO;
        }
        off += (size_t)w;
    }
    int rc = fsync(fd) || close(fd) ? ERR_IO : 0;
    if (!rc && rename(tmp, path)) {
        rc = ERR_IO;
    }
    if (rc) {
        unlink(tmp);
    }
    return rc;
}

/* ---- the orphan sweep ---- */

struct known {
    char (*sha)[65];
    size_t n, cap;
};

static void on_known(struct db_stmt *st, void *ctx)
{
    struct known *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->sha = xrealloc(k->sha, k->cap * sizeof *k->sha);
    }
    str_copy(k->sha[k->n++], sizeof k->sha[0], db_column_text(st, 0, NULL));
}

static bool is_known(const struct known *k, const char *sha)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(k->sha[mid], sha);
        if (!c) {
            return true;
        }
        c < 0 ? (lo = mid + 1) : (hi = mid);
    }
    return false;
}

static bool is_blob_name(const char *name)
{
    size_t n = strspn(name, "0123456789abcdef");
    return n == 64 && (!name[n] || strstr(name + n, ".tmp") || !strcmp(name + n, ".sweep"));
}

/* One blob or leftover .tmp file, old and named by no row: moved aside, looked at again (a
   writer may have reused it between the first look and the move: then it goes back), removed. */
static int sweep_file(const char *dir, const char *name, const struct known *k, int64_t before_s)
{
    char path[1400], aside[1420], sha[65];
    snprintf(path, sizeof path, "%s/%.200s", dir, name);
    snprintf(sha, sizeof sha, "%.64s", name);
    struct stat sb;
    if (stat(path, &sb) || !S_ISREG(sb.st_mode)) {
        return 0;
    }
    if (is_known(k, sha) && !strcmp(name + 64, ".sweep")) {
        snprintf(aside, sizeof aside, "%s/%s", dir, sha);
        if (access(aside, F_OK)) {
            rename(path, aside); /* a sweep stopped between its two moves: put it back */
        }
        return 0;
    }
    if (sb.st_mtime >= before_s || (is_known(k, sha) && !name[64])) {
        return 0;
    }
    snprintf(aside, sizeof aside, "%s.sweep", path);
    if (!strcmp(name + 64, ".sweep")) {
        return unlink(path) == 0;
    }
    if (rename(path, aside)) {
        return 0;
    }
    if (stat(aside, &sb) == 0 && sb.st_mtime >= before_s) {
        rename(aside, path); /* reused just now */
        return 0;
    }
    return unlink(aside) == 0;
}

int attach_blobs_sweep(struct store *s, int64_t now_s, int64_t grace_s, int *removed)
{
    char root[1024];
    snprintf(root, sizeof root, "%s/attachments", app.data_dir);
    *removed = 0;
    DIR *top = opendir(root);
    if (!top) {
        return 0; /* no attachment yet */
    }
    int rc = 0;
    struct dirent *b;
    while (!rc && (b = readdir(top))) {
        if (strlen(b->d_name) != 2 || strspn(b->d_name, "0123456789abcdef") != 2) {
            continue;
        }
        struct known k = {0};
        struct db *db = store_read(s);
        rc = store_attachment_shas_each(db, b->d_name, on_known, &k);
        store_release(s, db);
        char dir[1100];
        snprintf(dir, sizeof dir, "%s/%.2s", root, b->d_name);
        DIR *d = rc ? NULL : opendir(dir);
        for (struct dirent *f; d && (f = readdir(d));) {
            if (is_blob_name(f->d_name)) {
                *removed += sweep_file(dir, f->d_name, &k, now_s - grace_s);
            }
        }
        if (d) {
            closedir(d);
        }
        free(k.sha);
    }
    closedir(top);
    if (*removed) {
        log_info("attachments: %d orphaned file(s) removed", *removed);
    }
    return rc;
}

static void attach_json(struct buf *b, int64_t id, const struct attachment_row *a)
{
    buf_printf(b, "{\"id\":%lld,\"name\":", (long long)id);
    buf_json_str(b, a->name, strlen(a->name));
    buf_puts(b, ",\"content_type\":");
    buf_json_str(b, a->content_type, strlen(a->content_type));
    buf_printf(b, ",\"sha256\":\"%s\",\"size\":%lld,\"entity\":\"%s\",\"entity_id\":%lld}",
               a->sha256, (long long)a->size, a->entity, (long long)a->entity_id);
}

static int api_attachments_upload(struct req *r)
{
    const char *entity = req_query(r, "entity"), *eid = req_query(r, "entity_id");
    const struct req_file *f = &r->file;
    int64_t id = 0, ent_id = 0, att_id = 0;
    if (!f->present) {
        return resp_error(r, 422, "required",
                          "请选择要上传的文件（字段 file）/ a file field is required", "file");
    }
    if (!eid || parse_i64(eid, strlen(eid), &id) || id <= 0) {
        return resp_error(r, 422, "required", "entity_id 无效 / entity_id is required",
                          "entity_id");
    }
    if (!type_allowed(f->content_type)) {
        return resp_error(r, 422, "type_not_allowed",
                          arena_printf(r->a, "不允许的文件类型 %s / file type %s is not allowed",
                                       f->content_type, f->content_type),
                          "file");
    }
    if (!magic_ok(f->content_type, &f->data)) {
        return resp_error(r, 422, "type_mismatch",
                          "文件内容与声明的类型不符 / the file's content does not match its type",
                          "file");
    }
    if (strlen(f->name) > 200) {
        return resp_error(r, 422, "too_long", "文件名过长 / file name too long", "file");
    }
    struct attachment_row a = {0};
    sha256_hex(f->data.p ? f->data.p : "", f->data.len, a.sha256);
    snprintf(a.name, sizeof a.name, "%s", f->name);
    snprintf(a.content_type, sizeof a.content_type, "%s", f->content_type);
    snprintf(a.entity, sizeof a.entity, "%s", entity ? entity : "");
    a.size = (int64_t)f->data.len;
    a.entity_id = id;
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    rc = attach_target(r, db, entity, id, &ent_id);
    a.enterprise_id = ent_id;
    if (!rc) {
        rc = attach_blob_store(a.sha256, &f->data);
    }
    if (!rc) {
        rc = store_attachment_insert(db, &a, r->who->user_id, &att_id);
    }
    struct buf meta;
    buf_init(&meta, 8192);
    attach_json(&meta, att_id, &a);
    char *after = arena_strdup(r->a, meta.p);
    buf_release(&meta);
    if (!rc) {
        rc = audit_write(r, db, "attachment", att_id, "create", NULL, after);
    }
    if (rc) {
        store_rollback(app.store, db);
        return r->status ? 0 : resp_err(r, rc, NULL, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    buf_puts(&r->out, after);
    return resp_json(r, 201);
}

static int api_attachments_list(struct req *r)
{
    const char *entity = req_query(r, "entity"), *eid = req_query(r, "entity_id");
    int64_t id, ent_id;
    if (!eid || parse_i64(eid, strlen(eid), &id) || id <= 0) {
        return resp_error(r, 422, "required", "entity_id 无效 / entity_id is required",
                          "entity_id");
    }
    struct db *db = store_read(app.store);
    int rc = attach_target(r, db, entity, id, &ent_id);
    if (!rc) {
        rc = store_attachment_list(db, entity, id, &r->out);
    }
    store_release(app.store, db);
    return rc ? (r->status ? 0 : resp_err(r, rc, NULL, NULL)) : resp_json(r, 200);
}

/* RFC 5987 filename*=UTF-8''... */
static char *disposition(struct req *r, const char *name)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_puts(&b, "attachment; filename=\"download\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(".-_~", *p)) {
            buf_putc(&b, (char)*p);
        } else {
            buf_printf(&b, "%%%02X", *p);
        }
    }
    char *s = arena_strdup(r->a, b.p);
    buf_release(&b);
    return s;
}

static int api_attachments_content(struct req *r)
{
    int64_t id = req_id(r, 0), ent_id;
    struct attachment_row a;
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_attachment_get(db, id, &a) : ERR_NOTFOUND;
    if (!rc) {
        rc = attach_target(r, db, a.entity, a.entity_id, &ent_id);
    }
    store_release(app.store, db);
    if (rc) {
        return r->status ? 0 : resp_err(r, rc, NULL, NULL);
    }
    char path[1100];
    blob_path(a.sha256, path, sizeof path, false);
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_error("attachment %lld: blob %s missing", (long long)id, path);
        return resp_err(r, ERR_IO, "附件文件丢失 / the stored file is missing", NULL);
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&r->out, chunk, n);
    }
    fclose(f);
    r->status = 200;
    r->resp_type = arena_strdup(r->a, a.content_type);
    resp_header(r, "Content-Disposition", disposition(r, a.name));
    return 0;
}

static const struct route routes[] = {
    {"POST", "/api/v1/attachments", ROLES_ANY, api_attachments_upload, RF_UPLOAD,
     "Upload an attachment (multipart: file, entity, entity_id)"},
    {"GET", "/api/v1/attachments", ROLES_ANY, api_attachments_list, 0, "Attachments of one record"},
    {"GET", "/api/v1/attachments/{id}/content", ROLES_ANY, api_attachments_content, 0,
     "Download an attachment"},
};

void attach_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}
