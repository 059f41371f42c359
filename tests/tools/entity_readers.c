/* entity_readers DIR: every DIR/<name>.entities.json loaded by both entity
 * readers (cd_entities_readers_differ: the direct reader and jansson's path),
 * without a schema and with DIR/<name>.cedarschema when it parses: the same
 * store or the same error, or exit 1 naming the file. Exits 1 too when no
 * file was read directly (the comparison would then test nothing). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_json_impl.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *p = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap && !(p = realloc(p, cap = cap ? 2 * cap : 65536))) abort();
        n += got = fread(p + n, 1, cap - n, f);
    } while (got);
    fclose(f);
    *len = n;
    return p;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: entity_readers DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 2;
    }
    size_t files = 0, loads = 0, read_directly = 0, failures = 0;
    const char *suffix = ".entities.json";
    for (struct dirent *de; (de = readdir(d));) {
        size_t nl = strlen(de->d_name), sl = strlen(suffix);
        if (nl <= sl || strcmp(de->d_name + nl - sl, suffix) != 0) continue;
        char path[4096], spath[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
        snprintf(spath, sizeof spath, "%s/%.*s.cedarschema", argv[1], (int)(nl - sl), de->d_name);
        size_t len, slen;
        char *text = slurp(path, &len), *stext = slurp(spath, &slen);
        if (!text) continue;
        cd_err e = {0};
        cd_schema *s = stext ? cd_schema_parse_text(stext, slen, spath, &e) : NULL;
        cd_err_clear(&e);
        files++;
        const cd_schema *with[2] = {NULL, s};
        for (int k = 0; k < (s ? 2 : 1); k++) {
            char *diff = cd_entities_readers_differ(text, len, with[k]);
            loads++;
            read_directly += cd_entities_read_directly(text, len, with[k]);
            if (diff) {
                fprintf(stderr, "%s (%s schema): %s\n", path, k ? "with its" : "without a", diff);
                failures++;
            }
            free(diff);
        }
        cd_schema_free(s);
        free(text);
        free(stext);
    }
    closedir(d);
    printf("entity_readers: %zu files, %zu loads, %zu read directly, %zu differences\n", files,
           loads, read_directly, failures);
    return failures || read_directly == 0 ? 1 : 0;
}
