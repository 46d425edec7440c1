/*
** The documents of EIA approval, kinds of the document service (numbered, rendered, stored as
** the enterprise's attachments with a QR code to verify): the 登记表 filing receipt (备案回执),
** the one-time notice of missing items (一次性告知书), the approval (审批意见), the refusal
** (不予批准决定书) and the reminder card of obligations after approval (温馨提示卡). Every one
** names the project; the notice lists each missing item.
*/
#include <stdio.h>
#include <string.h>

#include "approval/internal.h"
#include "calendar/calendar.h"
#include "core/err.h"
#include "core/util.h"
#include "documents/documents.h"
#include "platform/app.h"
#include "store/q_cases.h"

static const char *const RECEIPT[] = {
    "你单位报送的“{project}”建设项目环境影响登记表已于{date}完成备案，备案号：{receipt}。",
    "建设地点：{site}；行业类别：{industry}；总投资：{investment}万元。",
    ("备案不属于行政许可，不收取任何费用。你单位应当如实填报并对内容的真实性负责，落实登记表中承诺"
     "的环境保护措施。"),
};
static const char *const NOTICE[] = {
    ("你单位于{filed_on}报送的“{project}”建设项目环境影响评价文件审批申请，经审查，申请材料不齐全"
     "，现一次性告知需补正的全部内容如下："),
    "{items}",
    "{note}",
    "请按上述要求一次性补正后重新提交。补正期间不计入审批时限。",
};
static const char *const DECISION[] = {
    ("你单位报送的“{project}”环境影响{class_zh}（以下简称《{class_short}》）及相关材料收悉。"
     "该项目建设地点位于{site}，总投资{investment}万元。经研究，批复如下："),
    "一、原则同意《{class_short}》结论。审批路径：{route_zh}。{combined}",
    "二、项目建设和运行中应当落实以下要求：{conditions}",
    ("三、项目建设必须严格执行环境保护设施与主体工程同时设计、同时施工、同时投产使用的“三同时”"
     "制度。项目竣工后，应当按规定开展竣工环境保护验收。"),
    ("四、本批复自下达之日起超过五年方决定开工建设的，环境影响评价文件应当报我局重新审核。项目的性"
     "质"
     "、规模、地点、采用的生产工艺或者防治污染的措施发生重大变动的，应当重新报批。"),
};
static const char *const REJECT[] = {
    "你单位报送的“{project}”环境影响评价文件及相关材料收悉。经审查，决定不予批准，理由如下：",
    "{reason}",
    ("你单位如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法"
     "院"
     "提起行政诉讼。"),
};
static const char *const CARD[] = {
    ("“{project}”环境影响评价文件已于{date}获得批复（{decision_no}）。为帮助你单位依法落实批后各项"
     "环境保护义务，特提示如下："),
    "{obligations}",
    ("以上事项已列入你单位在本平台的待办事项，完成后请及时上传相关材料并标记完成。逾期未履行的，"
     "将依法纳入环境信用评价。"),
};

static const struct doc_kind KINDS[] = {
    {"eia_receipt", "备", "建设项目环境影响登记表备案回执", "环评登记表备案回执", RECEIPT,
     ARRAY_LEN(RECEIPT)},
    {"eia_notice", "告", "建设项目环评审批申请材料补正一次性告知书", "环评申请一次性告知书", NOTICE,
     ARRAY_LEN(NOTICE)},
    {"eia_decision", "审", "关于建设项目环境影响评价文件的审批意见", "环评审批意见", DECISION,
     ARRAY_LEN(DECISION)},
    {"eia_reject", "审", "建设项目环境影响评价文件不予批准决定书", "环评不予批准决定书", REJECT,
     ARRAY_LEN(REJECT)},
    {"eia_card", "提", "建设项目环评批后监管温馨提示卡", "环评批后温馨提示卡", CARD,
     ARRAY_LEN(CARD)},
};

void eia_documents_register(void)
{
    for (size_t i = 0; i < ARRAY_LEN(KINDS); i++) {
        documents_kind_register(&KINDS[i]);
    }
}

int eia_issue(struct req *r, struct db *db, const struct eia_row *row, const char *kind,
              const struct doc_field *f, size_t n, const char *today, int64_t *attachment_id)
{
    int64_t unit = 0;
    int rc = store_org_unit_for_region(db, row->region_code, &unit);
    if (rc || !unit) {
        resp_error(r, 409, "no_org_unit", "该地区没有负责的机构 / no org unit covers the region",
                   "region_code");
        return rc ? rc : ERR_CONFLICT;
    }
    char err[400], key[64];
    snprintf(key, sizeof key, "%s:%lld", kind, (long long)row->id);
    struct doc_issue in = {.kind = kind,
                           .org_unit_id = unit,
                           .enterprise_id = row->enterprise_id,
                           .subject_kind = "eia_application",
                           .subject_id = row->id,
                           .dedup_key = strcmp(kind, "eia_notice") ? key : NULL,
                           .case_id = 0,
                           .fields = f,
                           .n_fields = n,
                           .today = today,
                           .issued_by = r->who->user_id,
                           .actor = r->who->display_name,
                           .request_id = r->request_id,
                           .ip = r->ip,
                           .rule_set_id = row->rule_set_id,
                           .rule_version = row->rule_version};
    struct doc_issued out;
    rc = documents_issue(db, &in, &out, err, sizeof err);
    if (rc) {
        resp_error(r, rc == ERR_CONFLICT ? 409 : 422, "document", err, "document");
        return rc;
    }
    *attachment_id = out.attachment_id;
    return 0;
}

int eia_add_workdays(const char *ymd, int days, char out[11], int *missing_year)
{
    pthread_rwlock_rdlock(&app.cal_lock);
    int rc = eia_deadline(app.cal, ymd, days, NULL, 0, out, missing_year);
    pthread_rwlock_unlock(&app.cal_lock);
    return rc;
}
