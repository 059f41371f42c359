/* test_version.c: the version macros, cedar_version() and CEDAR_ERROR_INIT (cedar.h). */
#include <stdio.h>
#include <string.h>

#include "cedar/cedar.h"
#include "t.h"

static void test_version_string(void)
{
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", CEDAR_VERSION_MAJOR, CEDAR_VERSION_MINOR,
             CEDAR_VERSION_PATCH);
    T_CHECK_STR(CEDAR_VERSION_STRING, want);
    T_CHECK_STR(cedar_version(), CEDAR_VERSION_STRING);
}

static void test_error_init(void)
{
    cedar_error err = CEDAR_ERROR_INIT;
    T_CHECK(err.message == NULL && err.file == NULL && err.line == 0 && err.column == 0);
    T_CHECK(cedar_expression_check("1 +", 3, &err) != 0);
    T_CHECK(err.message != NULL);
    cedar_error_clear(&err);
    T_CHECK(err.message == NULL);
}

int main(void)
{
    T_RUN(test_version_string);
    T_RUN(test_error_init);
    T_DONE();
}
