/*
** HTTP routes of the documents module: issuing a permit's reminder letter, an enterprise's
** documents, one document, and the public verification of a document by its token — as JSON
** (/api/v1/public/documents/{token}) and as a small server-rendered page (/verify/{token}) for a
** phone that scanned the QR code. Also `envgov documents remind` and the module descriptor.
*/
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/settings.h"
#include "core/util.h"
#include "documents/documents.h"
#include "jobs/jobs.h"
#include "platform/app.h"
#include "platform/cli.h"
#include "platform/entity.h"
#include "store/q_documents.h"

static void today_cn(char out[11])
{
    date_cn(wall_ms() / 1000, out);
}

static void issued_json(struct buf *b, const struct doc_issued *d)
{
    buf_printf(b, "{\"id\":%lld,\"number\":", (long long)d->id);
    buf_json_str(b, d->number, strlen(d->number));
    buf_printf(b,
               ",\"seq\":%lld,\"sha256\":\"%s\",\"attachment_id\":%lld,\"verify_token\":\"%s\","
               "\"verify_url\":",
               (long long)d->seq, d->sha256, (long long)d->attachment_id, d->verify_token);
    char url[700];
    snprintf(url, sizeof url, "%s/verify/%s", documents_public_url(), d->verify_token);
    buf_json_str(b, url, strlen(url));
    buf_printf(b, ",\"download_url\":\"/api/v1/attachments/%lld/content\"",
               (long long)d->attachment_id);
    if (d->rule_set_id) {
        buf_printf(b, ",\"rule_set_id\":%lld,\"rule_version\":%d}", (long long)d->rule_set_id,
                   d->rule_version);
    } else {
        buf_puts(b, ",\"rule_set_id\":null,\"rule_version\":null}");
    }
}

static int reminder_status(int rc)
{
    return rc == ERR_CONFLICT                   ? 409
           : rc == ERR_NOTFOUND                 ? 404
           : rc == ERR_INPUT || rc == ERR_AGAIN ? 422
                                                : 500;
}

static int api_permit_reminder(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct doc_permit p;
    struct doc_issued out;
    char today[11], err[512] = "";
    today_cn(today);
    struct db *db;
    int rc = store_begin(app.store, &db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    rc = id > 0 ? store_doc_permit(db, id, &p) : ERR_NOTFOUND;
    rc = rc ? rc : entity_enterprise_visible(r, db, p.enterprise_id);
    if (rc) {
        store_rollback(app.store, db);
        return r->status ? 0 : resp_err(r, rc, "许可证不存在 / no such permit", NULL);
    }
    rc = documents_permit_reminder(db, id, r->who->org_unit_id, today, r->who->user_id,
                                   r->who->username, &out, err, sizeof err);
    if (rc) {
        store_rollback(app.store, db);
        const char *code = rc == ERR_CONFLICT                   ? "already_issued"
                           : rc == ERR_INPUT || rc == ERR_AGAIN ? "invalid"
                                                                : NULL;
        return code ? resp_error(r, reminder_status(rc), code, err, "permit")
                    : resp_err(r, rc, err, NULL);
    }
    rc = store_commit(app.store, db);
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    issued_json(&r->out, &out);
    return resp_json(r, 201);
}

static int api_enterprise_documents(struct req *r)
{
    int64_t id = req_id(r, 0);
    struct db *db = store_read(app.store);
    int rc = id > 0 ? entity_enterprise_visible(r, db, id) : ERR_NOTFOUND;
    if (!rc) {
        rc = store_doc_list(db, id, &r->out);
    }
    store_release(app.store, db);
    return rc ? (r->status ? 0 : resp_err(r, rc, NULL, NULL)) : resp_json(r, 200);
}

static int api_document_get(struct req *r)
{
    int64_t id = req_id(r, 0), ent = 0;
    struct db *db = store_read(app.store);
    int rc = id > 0 ? store_doc_get(db, id, &ent, &r->out) : ERR_NOTFOUND;
    if (!rc && (ent || r->who->role == ROLE_ENTERPRISE)) {
        rc = entity_enterprise_visible(r, db, ent);
    }
    store_release(app.store, db);
    if (rc) {
        buf_reset(&r->out);
        return r->status ? 0 : resp_err(r, rc, NULL, NULL);
    }
    return resp_json(r, 200);
}

/* Tokens are random_token's 22 URL-safe base64 characters; anything else is not looked up. */
static bool token_ok(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_')) {
            return false;
        }
    }
    return n >= 16 && n <= 64;
}

static int lookup(const char *token, struct doc_public *d)
{
    if (!token_ok(token)) {
        return ERR_NOTFOUND;
    }
    struct db *db = store_read(app.store);
    int rc = store_doc_by_token(db, token, d);
    store_release(app.store, db);
    return rc;
}

static void json_member(struct buf *b, const char *name, const char *v)
{
    buf_printf(b, ",\"%s\":", name);
    buf_json_str(b, v, strlen(v));
}

static int api_public_document(struct req *r)
{
    struct doc_public d;
    int rc = lookup(r->params[0], &d);
    if (rc == ERR_NOTFOUND) {
        return resp_error(r, 404, "not_found", "未查到该文书 / no such document", "token");
    }
    if (rc) {
        return resp_err(r, rc, NULL, NULL);
    }
    char date[64];
    documents_date_cn(d.issue_date, date, sizeof date);
    buf_printf(&r->out, "{\"valid\":%s", strcmp(d.status, "issued") ? "false" : "true");
    json_member(&r->out, "number", d.number);
    json_member(&r->out, "title", d.title);
    json_member(&r->out, "kind", d.kind);
    json_member(&r->out, "issue_date", d.issue_date);
    json_member(&r->out, "issue_date_cn", date);
    json_member(&r->out, "enterprise", d.enterprise);
    json_member(&r->out, "org_unit", d.org_unit);
    json_member(&r->out, "sha256", d.sha256);
    json_member(&r->out, "status", d.status);
    json_member(&r->out, "rule_kind", d.rule_kind);
    if (d.rule_set_id) {
        buf_printf(&r->out, ",\"rule_set_id\":%lld,\"rule_version\":%lld", (long long)d.rule_set_id,
                   (long long)d.rule_version);
    } else {
        buf_puts(&r->out, ",\"rule_set_id\":null,\"rule_version\":null");
    }
    buf_putc(&r->out, '}');
    return resp_json(r, 200);
}

static void html_row(struct buf *b, const char *label, const char *v, bool mono)
{
    buf_printf(b, "<tr><th>%s</th><td%s>", label, mono ? " class=\"mono\"" : "");
    buf_html(b, v, strlen(v));
    buf_puts(b, "</td></tr>\n");
}

/* The page a phone opens from the QR code: no script, no login, the facts of the document. */
static int page_verify(struct req *r)
{
    struct doc_public d;
    int rc = lookup(r->params[0], &d);
    if (rc && rc != ERR_NOTFOUND) {
        return resp_err(r, rc, NULL, NULL);
    }
    struct buf *b = &r->out;
    buf_puts(b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                "<title>文书验真</title><style>body{font-family:sans-serif;margin:0;"
                "background:#f4f5f7;color:#1f2329}main{max-width:34rem;margin:1.5rem auto;"
                "background:#fff;padding:1.25rem 1.5rem;border-radius:8px}h1{font-size:1.25rem;"
                "margin:0 0 1rem}.ok{color:#0a7d32;font-size:1.4rem;font-weight:bold}.no{color:"
                "#c1272d;font-size:1.2rem;font-weight:bold}table{border-collapse:collapse;"
                "width:100%}th{text-align:left;white-space:nowrap;color:#646a73;font-weight:"
                "normal;padding:.4rem .8rem .4rem 0;vertical-align:top}td{padding:.4rem 0}"
                ".mono{font-family:monospace;word-break:break-all;font-size:.85rem}p.foot{color:"
                "#646a73;font-size:.85rem}</style></head><body><main>\n<h1>文书验真 · "
                "Document verification</h1>\n");
    if (rc) {
        buf_puts(b, "<p class=\"no\" id=\"result\">未查到该文书</p><p>该验真码不存在，请核对文书上"
                    "的二维码或网址，或向签发机关核实。/ No document has this code.</p>");
    } else {
        char date[64];
        documents_date_cn(d.issue_date, date, sizeof date);
        bool valid = !strcmp(d.status, "issued");
        buf_printf(b, "<p class=\"%s\" id=\"result\">%s</p>\n<table>\n", valid ? "ok" : "no",
                   valid ? "✓ 真实有效" : "该文书已撤销");
        html_row(b, "文书编号", d.number, false);
        html_row(b, "文书标题", d.title, false);
        html_row(b, "签发日期", date, false);
        html_row(b, "企业名称", d.enterprise, false);
        html_row(b, "签发机关", d.org_unit, false);
        if (d.rule_set_id) {
            char rule[128];
            snprintf(rule, sizeof rule, "%s 第 %lld 版 / version %lld", d.rule_kind,
                     (long long)d.rule_version, (long long)d.rule_version);
            html_row(b, "依据规则集", rule, false);
        }
        html_row(b, "SHA-256", d.sha256, true);
        buf_puts(b, "</table>\n<p class=\"foot\">请核对纸质或电子文书的编号与内容；电子文书文件的 "
                    "SHA-256 应与上值一致。</p>");
    }
    buf_puts(b, "\n</main></body></html>\n");
    r->status = rc ? 404 : 200;
    r->resp_type = "text/html; charset=utf-8";
    resp_header(r, "Cache-Control", "no-store");
    return 0;
}

static const struct route routes[] = {
    {"POST", "/api/v1/permits/{id}/reminder", ROLE_ADMIN | ROLE_APPROVER, api_permit_reminder, 0,
     "Issue the permit-expiry reminder letter (PDF) to the permit's enterprise"},
    {"GET", "/api/v1/enterprises/{id}/documents", ROLES_ANY, api_enterprise_documents, 0,
     "Official documents issued to an enterprise"},
    {"GET", "/api/v1/documents/{id}", ROLES_ANY, api_document_get, 0, "One official document"},
    {"GET", "/api/v1/public/documents/{token}", 0, api_public_document, RF_PUBLIC,
     "Public verification of an official document by its QR token"},
    {"GET", "/verify/{token}", 0, page_verify, RF_PUBLIC,
     "Public verification page of an official document (HTML, for the QR code)"},
};

void documents_routes(struct router *rt)
{
    router_add(rt, routes, ARRAY_LEN(routes));
}

/* `envgov documents remind [--date YYYY-MM-DD]`: the nightly reminder run by hand. */
static int cmd_documents(const struct cli *c)
{
    const char *date_opt = cli_opt(c, "date");
    char today[11], check[64];
    today_cn(today);
    if (c->n_args < 1 || strcmp(c->args[0], "remind") ||
        (date_opt && documents_date_cn(date_opt, check, sizeof check))) {
        fprintf(stderr, "usage: envgov documents remind [--date YYYY-MM-DD]\n");
        return 2;
    }
    if (date_opt) {
        snprintf(today, sizeof today, "%s", date_opt);
    }
    if (cli_open_store(false)) {
        return 1;
    }
    int issued = 0, failed = 0;
    int rc = documents_permit_reminders_run(app.store, today, &issued, &failed);
    cli_close_store();
    printf("documents: %d permit-expiry reminder letter(s) issued for %s (windows: rule set "
           "permit.expiry)\n",
           issued, today);
    if (rc || failed) {
        fprintf(stderr, "envgov documents: %d letter(s) failed%s%s (see the log)\n", failed,
                rc ? "; the run stopped: " : "", rc ? err_name(rc) : "");
        return 1;
    }
    return 0;
}

/* The job documents.remind: the same run nightly, once across processes (jobs/jobs.h). */
static int job_remind(struct job_run *jr)
{
    char today[11];
    today_cn(today);
    int issued = 0, failed = 0;
    int rc = documents_permit_reminders_run(jr->store, today, &issued, &failed);
    snprintf(jr->note, sizeof jr->note, "发出到期提醒函 %d 份 / %d reminder letters issued", issued,
             issued);
    if (!rc && failed) {
        snprintf(jr->error, sizeof jr->error,
                 "%d 份未能发出，见日志 / %d letters failed, see the log", failed, failed);
        rc = ERR_IO;
    }
    return rc;
}

static const struct job_def jobs[] = {
    {"documents.remind", "daily 02:30", "documents_remind_schedule", job_remind, 1800,
     "发出排污许可证到期提醒函 / Issue the permit-expiry reminder letters that are due"},
};

static const char *const documents_opts[] = {"date", NULL};

static const struct module_command commands[] = {
    {"documents", cmd_documents,
     "issue the permit-expiry reminder letters that are due (the nightly run, by hand)",
     "envgov documents remind [--data DIR] [--date YYYY-MM-DD]   (windows: rule set "
     "permit.expiry)",
     documents_opts},
};

static const struct setting_def settings[] = {
    {"public_url", "http://127.0.0.1:8080", false,
     "public base URL of this server: the QR codes of documents point to PUBLIC_URL/verify/..."},
    {"documents_remind_schedule", "", false,
     "schedule of the job documents.remind (default \"daily 02:30\"; \"every N\", "
     "\"daily HH:MM\" or \"monthly D HH:MM\", China time)"},
};

const struct module documents_module = {
    .name = "documents",
    .routes = documents_routes,
    .settings = settings,
    .n_settings = ARRAY_LEN(settings),
    .commands = commands,
    .n_commands = ARRAY_LEN(commands),
    .seed = documents_seed,
    .jobs = jobs,
    .n_jobs = ARRAY_LEN(jobs),
    .audit_kinds = documents_audit_kinds,
};
