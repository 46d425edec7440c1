/*
** Label tables for columns and enumerations (see labels.h).
*/
#include "platform/labels.h"

#include <string.h>

#include "core/buf.h"
#include "core/util.h"

static const struct {
    const char *col, *label;
} columns[] = {
    {"id", "编号"},
    {"uscc", "统一社会信用代码"},
    {"name", "名称"},
    {"region_code", "行政区划代码"},
    {"region_name", "行政区划"},
    {"industry_code", "行业代码"},
    {"industry_name", "行业"},
    {"address", "地址"},
    {"lat", "纬度"},
    {"lng", "经度"},
    {"legal_rep", "法定代表人"},
    {"contact_name", "环保联系人"},
    {"contact_phone", "联系电话"},
    {"category", "监管类别"},
    {"tags", "标签"},
    {"status", "状态"},
    {"created_at", "创建时间"},
    {"updated_at", "更新时间"},
    {"enterprise_id", "企业编号"},
    {"enterprise_name", "企业名称"},
    {"code", "编号代码"},
    {"kind", "类别"},
    {"type", "类型"},
    {"outlet_id", "排放口编号"},
    {"outlet_code", "排放口"},
    {"mn", "设备唯一标识MN"},
    {"protocol", "协议版本"},
    {"st", "系统编码"},
    {"rtd_interval_s", "实时数据间隔(秒)"},
    {"min_interval_min", "分钟数据间隔(分钟)"},
    {"pollutant_code", "污染物代码"},
    {"pollutant_name", "污染物"},
    {"value", "限值"},
    {"unit", "单位"},
    {"basis", "考核基准"},
    {"standard", "执行标准"},
    {"number", "许可证编号"},
    {"class", "管理类别"},
    {"valid_from", "有效期起"},
    {"valid_to", "有效期至"},
    {"issuer", "发证机关"},
    /* Earlier labels, still read back from files exported before they changed. */
    {"valid_to", "有效期止"},
};

static const struct {
    const char *col, *value, *label;
} values[] = {
    {"category", "key", "重点排污单位"},
    {"category", "general", "一般"},
    {"category", "special", "特殊"},
    {"status", "active", "正常"},
    {"status", "inactive", "停用"},
    {"tags", "key_enterprise", "重点服务企业"},
    {"tags", "high_growth", "高成长"},
    {"tags", "livelihood", "民生保障"},
    {"tags", "industrial_park", "园区内"},
    {"kind", "water", "废水"},
    {"kind", "air", "废气"},
    {"kind", "eia", "环评编制单位"},
    {"kind", "testing", "检测机构"},
    {"kind", "operation", "运维机构"},
    {"type", "main", "主要排放口"},
    {"type", "general", "一般排放口"},
    {"type", "special", "特殊排放口"},
    {"class", "key", "重点管理"},
    {"class", "simplified", "简化管理"},
    {"class", "registration", "登记管理"},
    {"basis", "rtd", "实时"},
    {"basis", "hour", "小时均值"},
    {"basis", "day", "日均值"},
    /* Earlier labels, still read back from files exported before they changed (the first row
       of a value is the one written). */
    {"category", "key", "重点"},
    {"tags", "key_enterprise", "重点企业"},
};

const char *label_column(const char *col)
{
    for (size_t i = 0; i < ARRAY_LEN(columns); i++) {
        if (!strcmp(columns[i].col, col)) {
            return columns[i].label;
        }
    }
    return col;
}

const char *label_column_parse(const char *header)
{
    for (size_t i = 0; i < ARRAY_LEN(columns); i++) {
        if (!strcmp(columns[i].col, header) || !strcmp(columns[i].label, header)) {
            return columns[i].col;
        }
    }
    return NULL;
}

static bool enumerated(const char *col)
{
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        if (!strcmp(values[i].col, col)) {
            return true;
        }
    }
    return false;
}

static const char *one_label(const char *col, const char *v, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        if (!strcmp(values[i].col, col) && strlen(values[i].value) == n &&
            !strncmp(values[i].value, v, n)) {
            return values[i].label;
        }
    }
    return NULL;
}

static const char *one_value(const char *col, const char *s, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        if (strcmp(values[i].col, col)) {
            continue;
        }
        if ((strlen(values[i].value) == n && !strncmp(values[i].value, s, n)) ||
            (strlen(values[i].label) == n && !strncmp(values[i].label, s, n))) {
            return values[i].value;
        }
    }
    return NULL;
}

const char *label_value(struct arena *a, const char *col, const char *v)
{
    if (!enumerated(col)) {
        return v;
    }
    if (strcmp(col, "tags")) {
        const char *l = one_label(col, v, strlen(v));
        return l ? l : v;
    }
    struct buf b;
    buf_init(&b, 4096);
    for (const char *p = v; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *l = one_label(col, p, n);
        buf_puts(&b, b.len ? "、" : "");
        buf_append(&b, l ? l : p, l ? strlen(l) : n);
        p += n + (end ? 1 : 0);
    }
    const char *out = arena_strdup(a, b.p ? b.p : "");
    buf_release(&b);
    return out;
}

const char *label_value_parse(struct arena *a, const char *col, const char *s)
{
    if (!enumerated(col)) {
        return s;
    }
    if (strcmp(col, "tags")) {
        return one_value(col, s, strlen(s));
    }
    /* Tags: separated by 、 , ; or spaces. */
    struct buf b;
    buf_init(&b, 4096);
    const char *p = s;
    bool bad = false;
    while (*p && !bad) {
        size_t skip =
            !strncmp(p, "、", 3) || !strncmp(p, "，", 3) ? 3 : (strchr(",; ", *p) ? 1 : 0);
        if (skip) {
            p += skip;
            continue;
        }
        size_t n = 0;
        while (p[n] && strncmp(p + n, "、", 3) && strncmp(p + n, "，", 3) && !strchr(",; ", p[n])) {
            n++;
        }
        const char *v = one_value(col, p, n);
        bad = v == NULL;
        if (v) {
            buf_printf(&b, "%s%s", b.len ? "," : "", v);
        }
        p += n;
    }
    const char *out = bad ? NULL : arena_strdup(a, b.p ? b.p : "");
    buf_release(&b);
    return out;
}
