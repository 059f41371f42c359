/* cd_api_version.c: the library's version (cedar.h), from the build's cedar_version.h. */
#include "cd_api.h"

const char *cedar_version(void)
{
    return CEDAR_VERSION_STRING;
}
