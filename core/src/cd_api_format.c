/* cd_api_format.c: the policy formatter (cedar.h). */
#include "cd_api.h"
#include "cd_format.h"

char *cedar_format_policies(const char *text, size_t len, const char *file, unsigned line_width,
                            int indent_width, cedar_error *err)
{
    if (!text) {
        cd_api_set_error_msg(err, "no policy text");
        return NULL;
    }
    cd_err e = {0};
    char *out = cd_format_policies(text, len, file, line_width, (long)indent_width, &e);
    if (!out) cd_api_set_error(err, &e, file);
    return out;
}
