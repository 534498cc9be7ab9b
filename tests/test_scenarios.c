/* The program's scenario table and shipped scenarios: the table is sound, the generated
 * reference in docs/ is in sync with it, and every shipped scenario validates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "models/scenario.h"
#include "tests/cli_util.h"

#include <glob.h>

static void test_table_is_sound(void **state) {
    (void)state;
    char err[1024] = "";
    int rc = sc_check_table(coop_keys, err, sizeof err);
    if (rc != 0) print_error("%s\n", err);
    assert_int_equal(rc, 0);
}

static void test_reference_in_sync(void **state) {
    (void)state;
    cli_result *r = cli_run((const char *const[]){"reference", NULL});
    assert_int_equal(r->status, 0);
    FILE *f = fopen(COOPSIM_SOURCE_DIR "/docs/scenario-reference.md", "rb");
    assert_non_null(f);
    static char doc[sizeof r->out];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = '\0';
    fclose(f);
    assert_true(n < sizeof doc - 1); /* the whole file fit */
    if (strcmp(doc, r->out) != 0) {
        print_error("docs/scenario-reference.md is out of date; regenerate it with\n"
                    "  build/coopsim reference > docs/scenario-reference.md\n");
        fail();
    }
}

static void test_shipped_scenarios_validate(void **state) {
    (void)state;
    const char *patterns[] = {COOPSIM_SOURCE_DIR "/scenarios/*.yaml",
                              COOPSIM_SOURCE_DIR "/scenarios/*/*.yaml"};
    size_t total = 0;
    for (size_t k = 0; k < 2; k++) {
        glob_t g;
        if (glob(patterns[k], 0, NULL, &g) != 0) continue;
        for (size_t i = 0; i < g.gl_pathc; i++) {
            cli_result *r = cli_run((const char *const[]){"validate", g.gl_pathv[i], NULL});
            if (r->status != 0) print_error("%s", r->err);
            assert_int_equal(r->status, 0);
            total++;
        }
        globfree(&g);
    }
    assert_true(total >= 3); /* flagship, a validation scenario, a teaching scenario at least */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_sound),
        cmocka_unit_test(test_reference_in_sync),
        cmocka_unit_test(test_shipped_scenarios_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
