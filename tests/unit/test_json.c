/*
 * JSON helpers: paths, line:column of syntax errors, integer validation, error formatting.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "json_util.h"
#include "test.h"

void test_json(void);

void test_json(void)
{
    char p[TC_PATH_MAX];
    tc_json_path_key(p, "$", "config");
    CHECK_STR(p, "$.config");
    tc_json_path_key(p, "$.tensors", "attn.in_proj_weight");
    CHECK_STR(p, "$.tensors[\"attn.in_proj_weight\"]");
    tc_json_path_index(p, "$.labels", 3);
    CHECK_STR(p, "$.labels[3]");

    tc_error err;
    cJSON *root;
    const char *bad = "{\n  \"a\": 1,\n  \"b\" 2\n}";
    CHECK(tc_json_parse(bad, strlen(bad), "m.json", &root, &err) == TC_ERR_MODEL);
    CHECK(err.line == 3 && err.column == 7);
    char buf[1024];
    CHECK_STR(tc_error_format(&err, buf, sizeof buf), "m.json:3:7: invalid JSON near '2'");

    const char *trunc = "{\"a\": [1, 2";
    CHECK(tc_json_parse(trunc, strlen(trunc), "m.json", &root, &err) == TC_ERR_MODEL);
    CHECK(strstr(err.message, "end of input") != NULL);

    const char *trailing = "{} x";
    CHECK(tc_json_parse(trailing, strlen(trailing), "m.json", &root, &err) == TC_ERR_MODEL);

    /* nested past cJSON's limit: said so, at the bracket one level too deep (the root object
     * and 999 arrays are 1000 levels: the 1000th "[" is one too many); brackets inside
     * strings (here "[{", and an escaped quote before them) are not levels; at the limit the
     * document parses */
    {
        char deep[2 * CJSON_NESTING_LIMIT + 64];
        size_t n = (size_t)snprintf(deep, sizeof deep, "{\"s\": \"\\\"[{\",\n \"d\":");
        size_t open_at = n;
        for (int i = 0; i < CJSON_NESTING_LIMIT; i++) deep[n++] = '[';
        deep[n] = '\0';
        CHECK(tc_json_parse(deep, n, "m.json", &root, &err) == TC_ERR_MODEL);
        CHECK(err.line == 2 && err.column == (int)(open_at - 14) + CJSON_NESTING_LIMIT);
        CHECK(strstr(err.message, "nested too deep: more than 1000 levels") != NULL);
        n = open_at;
        for (int i = 0; i < CJSON_NESTING_LIMIT - 1; i++) deep[n++] = '[';
        for (int i = 0; i < CJSON_NESTING_LIMIT - 1; i++) deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        CHECK(tc_json_parse(deep, n, "m.json", &root, &err) == TC_OK);
        cJSON_Delete(root);
    }

    const char *ok = "{\"i\": 3, \"f\": 2.5, \"big\": 1e300, \"s\": \"x\", \"dup\": 1, \"dup\": 2}";
    CHECK(tc_json_parse(ok, strlen(ok), "m.json", &root, &err) == TC_OK);
    int64_t v = 0;
    CHECK(tc_json_get_int(root, "i", 1, 0, 1, 10, &v, "m.json", "$", &err) == TC_OK && v == 3);
    CHECK(tc_json_get_int(root, "f", 1, 0, 1, 10, &v, "m.json", "$", &err) == TC_ERR_MODEL);
    CHECK(tc_json_get_int(root, "big", 1, 0, 1, 10, &v, "m.json", "$", &err) == TC_ERR_MODEL);
    CHECK(tc_json_get_int(root, "s", 1, 0, 1, 10, &v, "m.json", "$", &err) == TC_ERR_MODEL);
    CHECK_STR(tc_error_format(&err, buf, sizeof buf),
              "m.json: $.s: expected an integer, got a string");
    CHECK(tc_json_get_int(root, "none", 0, 7, 1, 10, &v, "m.json", "$", &err) == TC_OK && v == 7);
    CHECK(tc_json_get_int(root, "none", 1, 7, 1, 10, &v, "m.json", "$", &err) == TC_ERR_MODEL);
    CHECK(tc_json_check_object(root, NULL, "m.json", "$", &err) == TC_ERR_MODEL);
    CHECK_STR(err.path, "$.dup");
    cJSON_Delete(root);
}
