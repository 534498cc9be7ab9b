/* The project is citable by itself: every `docs/references.md#key` cited in the sources, docs
 * and scenarios names an entry of docs/references.md, nothing cites reference notes that are
 * not part of the repository, and CITATION.cff carries the build's version. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "tests/cli_util.h"

#include <glob.h>
#include <stdbool.h>

#define SRC COOPSIM_SOURCE_DIR

static char refs[1 << 17];

/* Text files of the repository that may cite sources. */
static const char *const patterns[] = {
    SRC "/README.md",  SRC "/docs/*.md",     SRC "/scenarios/*.yaml", SRC "/scenarios/*/*.yaml",
    SRC "/sim/*.[ch]", SRC "/models/*.[ch]", SRC "/models/*/*.[ch]",  SRC "/models/*/*.inc",
    SRC "/app/*.[ch]", SRC "/plots/*.gp",    SRC "/CITATION.cff",
};

/* Checks one file's citations; returns how many it made. */
static size_t check_file(const char *path) {
    static char text[1 << 20];
    cli_slurp(path, text, sizeof text);
    /* Notes that live outside the repository must never be cited (the paths are put together
     * here so that this file does not hold them). */
    static const char *const missing[] = {"parameters", "la-zooz", "validation"};
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        char note[64];
        snprintf(note, sizeof note, "%s/%s", "reference", missing[i]);
        if (strstr(text, note)) {
            print_error("%s cites %s, which is not in the repository\n", path, note);
            fail();
        }
    }
    if (strstr(text, "../shared")) {
        print_error("%s cites ../shared, which is not in the repository\n", path);
        fail();
    }
    size_t n = 0;
    static const char *const forms[] = {"references.md#", "](#"};
    bool self = strstr(path, "/docs/references.md") != NULL;
    for (size_t f = 0; f < (self ? 2u : 1u); f++)
        for (const char *p = strstr(text, forms[f]); p; p = strstr(p + 1, forms[f])) {
            const char *k = p + strlen(forms[f]);
            size_t len = strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-");
            char anchor[96];
            snprintf(anchor, sizeof anchor, "<a id=\"%.*s\"></a>", (int)len, k);
            if (len == 0 || !strstr(refs, anchor)) {
                print_error("%s cites docs/references.md#%.*s, which has no such entry\n", path,
                            (int)len, k);
                fail();
            }
            n++;
        }
    return n;
}

static void test_citations_resolve(void **state) {
    (void)state;
    cli_slurp(SRC "/docs/references.md", refs, sizeof refs);
    assert_true(strlen(refs) > 1000);
    size_t files = 0, cites = 0;
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        glob_t g;
        if (glob(patterns[i], 0, NULL, &g) != 0) continue;
        for (size_t k = 0; k < g.gl_pathc; k++, files++)
            cites += check_file(g.gl_pathv[k]);
        globfree(&g);
    }
    assert_true(files > 50);
    assert_true(cites > 5); /* the docs do cite by key */
}

static void test_citation_cff(void **state) {
    (void)state;
    char cff[8192];
    cli_slurp(SRC "/CITATION.cff", cff, sizeof cff);
    assert_non_null(strstr(cff, "cff-version: 1.2.0\n"));
    assert_non_null(strstr(cff, "license: GPL-3.0-or-later\n"));
    /* The release number the build records, without the commit suffix. */
    char want[64];
    snprintf(want, sizeof want, "\nversion: %.*s\n", (int)strcspn(COOPSIM_VERSION, "+"),
             COOPSIM_VERSION);
    if (!strstr(cff, want)) {
        print_error("CITATION.cff: expected%s(the version in CMakeLists.txt)\n", want);
        fail();
    }
    char license[256];
    cli_slurp(SRC "/LICENSE", license, sizeof license);
    assert_non_null(strstr(license, "GNU GENERAL PUBLIC LICENSE"));
    assert_non_null(strstr(license, "Version 3, 29 June 2007"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_citations_resolve),
        cmocka_unit_test(test_citation_cff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
