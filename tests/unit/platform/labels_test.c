/*
** Export labels: every column label parses back to its column, enumerated values turn into
** Chinese and back (tags lists joined with 、 and split on mixed separators), so an exported
** file re-imports unchanged.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/util.h"
#include "platform/labels.h"
#include "store/q_cases.h"
#include "store/store.h"

static struct arena A;

static int setup(void **state)
{
    (void)state;
    arena_init(&A, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&A);
    return 0;
}

/* Columns the exports write (registry enterprises, outlets, points, limits, permits). */
static const char *const COLUMNS[] = {
    "id",
    "uscc",
    "name",
    "region_code",
    "region_name",
    "industry_code",
    "industry_name",
    "address",
    "lat",
    "lng",
    "legal_rep",
    "contact_name",
    "contact_phone",
    "category",
    "tags",
    "status",
    "created_at",
    "updated_at",
    "enterprise_id",
    "enterprise_name",
    "code",
    "kind",
    "type",
    "outlet_id",
    "outlet_code",
    "mn",
    "protocol",
    "st",
    "rtd_interval_s",
    "min_interval_min",
    "pollutant_code",
    "pollutant_name",
    "value",
    "unit",
    "basis",
    "standard",
    "number",
    "class",
    "valid_from",
    "valid_to",
    "issuer",
};

static void column_labels_round_trip(void **state)
{
    (void)state;
    assert_string_equal(label_column("uscc"), "统一社会信用代码");
    assert_string_equal(label_column("region_code"), "行政区划代码");
    assert_string_equal(label_column("category"), "监管类别");
    assert_string_equal(label_column("tags"), "标签");
    for (size_t i = 0; i < ARRAY_LEN(COLUMNS); i++) {
        const char *label = label_column(COLUMNS[i]);
        /* Every exported column has a Chinese label, distinct from its name ... */
        assert_string_not_equal(label, COLUMNS[i]);
        /* ... and the label and the bare name both parse back to the column. */
        assert_string_equal(label_column_parse(label), COLUMNS[i]);
        assert_string_equal(label_column_parse(COLUMNS[i]), COLUMNS[i]);
        /* No two columns share a label (an import could not tell them apart). */
        for (size_t k = 0; k < i; k++) {
            assert_string_not_equal(label_column(COLUMNS[k]), label);
        }
    }
}

static void unknown_columns(void **state)
{
    (void)state;
    const char *col = "no_such_column";
    assert_ptr_equal(label_column(col), col);
    assert_null(label_column_parse(col));
    assert_null(label_column_parse(""));
    assert_null(label_column_parse("统一社会信用"));      /* a prefix of a label */
    assert_null(label_column_parse("统一社会信用代码 ")); /* not trimmed here */
    assert_null(label_column_parse("USCC"));
}

static void enum_values_round_trip(void **state)
{
    (void)state;
    struct {
        const char *col, *value, *label;
    } cases[] = {
        {"category", "key", "重点排污单位"},
        {"category", "general", "一般"},
        {"category", "special", "特殊"},
        {"status", "active", "正常"},
        {"status", "inactive", "停用"},
        {"kind", "water", "废水"},
        {"kind", "air", "废气"},
        {"type", "main", "主要排放口"},
        {"type", "general", "一般排放口"},
        {"class", "key", "重点管理"},
        {"class", "registration", "登记管理"},
        {"basis", "hour", "小时均值"},
        {"basis", "day", "日均值"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        assert_string_equal(label_value(&A, cases[i].col, cases[i].value), cases[i].label);
        assert_string_equal(label_value_parse(&A, cases[i].col, cases[i].label), cases[i].value);
        /* The stored value is accepted as is too. */
        assert_string_equal(label_value_parse(&A, cases[i].col, cases[i].value), cases[i].value);
    }
    /* Values belong to their column: 重点 is a category, not a permit class. */
    assert_null(label_value_parse(&A, "class", "重点"));
    assert_null(label_value_parse(&A, "category", "重点管理"));
    assert_null(label_value_parse(&A, "category", "重点企业"));
    assert_string_equal(label_value(&A, "type", "general"), "一般排放口");
    assert_string_equal(label_value(&A, "category", "general"), "一般");
    /* Labels used before the terms were unified (issue 19) still import. */
    assert_string_equal(label_value_parse(&A, "category", "重点"), "key");
    assert_string_equal(label_value_parse(&A, "tags", "重点企业"), "key_enterprise");
    assert_string_equal(label_column_parse("有效期止"), "valid_to");
    assert_string_equal(label_column("valid_to"), "有效期至");
}

static void unknown_values(void **state)
{
    (void)state;
    /* Unknown value of an enumerated column: NULL when parsing, itself when labelling. */
    assert_null(label_value_parse(&A, "category", "bogus"));
    assert_null(label_value_parse(&A, "category", ""));
    assert_null(label_value_parse(&A, "category", "重"));
    assert_null(label_value_parse(&A, "category", "KEY"));
    assert_null(label_value_parse(&A, "status", "重点"));
    assert_string_equal(label_value(&A, "category", "bogus"), "bogus");
    /* Columns that are not enumerated pass through unchanged, by pointer. */
    const char *v = "长兴县";
    assert_ptr_equal(label_value(&A, "name", v), v);
    assert_ptr_equal(label_value_parse(&A, "name", v), v);
    const char *empty = "";
    assert_ptr_equal(label_value_parse(&A, "address", empty), empty);
}

static void tags_join_and_split(void **state)
{
    (void)state;
    assert_string_equal(label_value(&A, "tags", "key_enterprise,high_growth"),
                        "重点服务企业、高成长");
    assert_string_equal(label_value(&A, "tags", "livelihood"), "民生保障");
    assert_string_equal(label_value(&A, "tags", ""), "");
    assert_string_equal(
        label_value(&A, "tags", "key_enterprise,high_growth,livelihood,industrial_park"),
        "重点服务企业、高成长、民生保障、园区内");

    assert_string_equal(label_value_parse(&A, "tags", "重点企业、高成长"),
                        "key_enterprise,high_growth");
    /* Mixed separators and mixed labels / stored values. */
    assert_string_equal(label_value_parse(&A, "tags", "重点企业, high_growth"),
                        "key_enterprise,high_growth");
    assert_string_equal(label_value_parse(&A, "tags", "重点企业，高成长;livelihood 园区内"),
                        "key_enterprise,high_growth,livelihood,industrial_park");
    assert_string_equal(label_value_parse(&A, "tags", " 、 高成长 、"), "high_growth");
    assert_string_equal(label_value_parse(&A, "tags", "key_enterprise,high_growth"),
                        "key_enterprise,high_growth");
    assert_string_equal(label_value_parse(&A, "tags", ""), "");
    /* One unknown tag spoils the whole cell. */
    assert_null(label_value_parse(&A, "tags", "重点企业、不存在"));
    assert_null(label_value_parse(&A, "tags", "high_growthx"));
    assert_null(label_value_parse(&A, "tags", "重点"));

    /* Round trip: label then parse gives the stored list back. */
    const char *stored = "industrial_park,key_enterprise";
    assert_string_equal(label_value_parse(&A, "tags", label_value(&A, "tags", stored)), stored);
}

/* The labels files load cleanly: each is well formed and no key is labelled two ways. */
static void labels_files_agree(void **state)
{
    (void)state;
    const char *p = labels_problems();
    if (p) {
        print_error("%s", p);
    }
    assert_null(p);
}

/* Every field of every entity has a label in both languages (messages name it), and every
   allowed value of an enumerated field has one too (exports and the UI show it), so a module
   that adds a field or a value without its label fails here. */
static void every_entity_field_and_value_labelled(void **state)
{
    (void)state;
    const struct entity_def *ents[] = {
        &ENTITY_ENTERPRISE,   &ENTITY_OUTLET,   &ENTITY_POINT,    &ENTITY_LIMIT, &ENTITY_PERMIT,
        &ENTITY_AGENCY,       &ENTITY_USER,     &ENTITY_ORG_UNIT, &ENTITY_ALARM, &ENTITY_COMMAND,
        &ENTITY_NOTIFICATION, &ENTITY_DELIVERY, &ENTITY_CASE,
    };
    int missing = 0;
    for (size_t i = 0; i < ARRAY_LEN(ents); i++) {
        const struct entity_def *e = ents[i];
        for (size_t k = 0; k < e->n_fields; k++) {
            const struct field_def *f = &e->fields[k];
            if (label_field(e->name, f->name, false) == f->name ||
                label_field(e->name, f->name, true) == f->name) {
                print_error("no label for %s.%s\n", e->name, f->name);
                missing++;
            }
            for (const char *const *v = f->values; v && *v; v++) {
                if (label_entity_value(&A, e->name, f->name, *v) == *v) {
                    print_error("no label for value %s of %s.%s\n", *v, e->name, f->name);
                    missing++;
                }
            }
        }
    }
    assert_int_equal(missing, 0);
    /* Entity-specific labels win over the field's own. */
    assert_string_equal(label_field("enterprise", "name", false), "企业名称");
    assert_string_equal(label_field("agency", "name", false), "机构名称");
    assert_string_equal(label_field(NULL, "name", false), "名称");
    assert_string_equal(label_field("enterprise", "uscc", true), "Unified social credit code");
    assert_string_equal(label_entity_value(&A, "alarm", "status", "open"), "未处理");
    assert_string_equal(label_entity_value(&A, "enterprise", "status", "active"), "正常");
    assert_string_equal(label_enum("alarm_kind", "exceed", true), "Exceedance");
    assert_null(label_enum("alarm_kind", "nonsense", false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(column_labels_round_trip),
        cmocka_unit_test(unknown_columns),
        cmocka_unit_test(enum_values_round_trip),
        cmocka_unit_test(unknown_values),
        cmocka_unit_test(tags_join_and_split),
        cmocka_unit_test(labels_files_agree),
        cmocka_unit_test(every_entity_field_and_value_labelled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
