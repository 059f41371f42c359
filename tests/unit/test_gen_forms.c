/* test_gen_forms.c: every listed surface form of Cedar's grammars (policy
 * text, schema text, entities JSON) is produced by the emitters' style layer.
 * Over a few thousand generated cases each form is counted; a form that never
 * appears fails the test (and is printed with its count). */
#include <stdio.h>
#include <string.h>

#include "gen_int.h"
#include "t.h"

enum { N_CASES = 2500 };

typedef enum { IN_POLICY, IN_SCHEMA, IN_ENTITIES } where;

typedef struct form {
    where in;
    const char *name;
    size_t count;
} form;

static bool has(const gen_buf *b, const char *needle)
{
    size_t n = strlen(needle);
    if (b->len < n) return false;
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, needle, n) == 0) return true;
    return false;
}

/* Does b hold `<a><name><b>` for some name of [A-Za-z0-9_:]+ ? */
static bool has_around_name(const gen_buf *b, const char *a, const char *after)
{
    size_t na = strlen(a), nb = strlen(after);
    for (size_t i = 0; i + na <= b->len; i++) {
        if (memcmp(b->data + i, a, na) != 0) continue;
        size_t j = i + na;
        while (j < b->len && (b->data[j] == '_' || b->data[j] == ':' ||
                              (b->data[j] >= '0' && b->data[j] <= '9') ||
                              ((b->data[j] | 0x20) >= 'a' && (b->data[j] | 0x20) <= 'z')))
            j++;
        if (j > i + na && j + nb <= b->len && memcmp(b->data + j, after, nb) == 0) return true;
    }
    return false;
}

/* How each `//` comment in b ends: bit 0 `\n`, 1 `\r\n`, 2 a lone `\r`, 3 the end of input. */
static unsigned comment_ends(const gen_buf *b)
{
    unsigned seen = 0;
    for (size_t i = 0; i + 1 < b->len; i++) {
        if (b->data[i] != '/' || b->data[i + 1] != '/') continue;
        size_t j = i + 2;
        while (j < b->len && b->data[j] != '\n' && b->data[j] != '\r')
            j++;
        if (j == b->len)
            seen |= 8;
        else if (b->data[j] == '\n')
            seen |= 1;
        else if (j + 1 < b->len && b->data[j + 1] == '\n')
            seen |= 2;
        else
            seen |= 4;
        i = j;
    }
    return seen;
}

/* Kinds of `\u{...}` escapes in b: bit 0 with `_`, 1 with a leading zero,
 * 2 a star (`\u{2a}`, a wildcard), 3 upper-case hex. */
static unsigned u_escapes(const gen_buf *b)
{
    unsigned seen = 0;
    for (size_t i = 0; i + 3 < b->len; i++) {
        if (memcmp(b->data + i, "\\u{", 3) != 0) continue;
        size_t j = i + 3;
        char digits[16];
        size_t nd = 0;
        bool under = false, upper = false;
        while (j < b->len && b->data[j] != '}') {
            char c = b->data[j++];
            if (c == '_') {
                under = true;
            } else if (nd < sizeof digits) {
                upper = upper || (c >= 'A' && c <= 'F');
                digits[nd++] = c;
            }
        }
        if (under) seen |= 1;
        if (nd > 1 && digits[0] == '0') seen |= 2;
        size_t z = 0;
        while (z + 1 < nd && digits[z] == '0')
            z++;
        if (nd - z == 2 && digits[z] == '2' && (digits[z + 1] == 'a' || digits[z + 1] == 'A'))
            seen |= 4;
        if (upper) seen |= 8;
        i = j;
    }
    return seen;
}

static void fill(uint8_t *bytes, size_t n, uint64_t x)
{
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bytes[i] = (uint8_t)x;
    }
}

static void test_every_surface_form_appears(void)
{
    form forms[] = {
        {IN_POLICY, "comment ended by \\n", 0},
        {IN_POLICY, "comment ended by \\r\\n", 0},
        {IN_POLICY, "comment ended by a lone \\r", 0},
        {IN_POLICY, "comment ended by the end of input", 0},
        {IN_POLICY, "\\u{..} with _ separators", 0},
        {IN_POLICY, "\\u{..} with leading zeros", 0},
        {IN_POLICY, "\\u{..} in upper case", 0},
        {IN_POLICY, "like wildcard spelled \\u{2a}", 0},
        {IN_POLICY, "like wildcard spelled \\x2a", 0},
        {IN_POLICY, "like literal star \\*", 0},
        {IN_POLICY, "\\x.. escape", 0},
        {IN_POLICY, "\\0 escape", 0},
        {IN_POLICY, "\\' escape", 0},
        {IN_POLICY, "tab", 0},
        {IN_POLICY, "vertical tab", 0},
        {IN_POLICY, "form feed", 0},
        {IN_POLICY, "NEL (U+0085)", 0},
        {IN_POLICY, "no-break space (U+00A0)", 0},
        {IN_POLICY, "ideographic space (U+3000)", 0},
        {IN_POLICY, "line separator (U+2028)", 0},
        {IN_POLICY, "paragraph separator (U+2029)", 0},
        {IN_POLICY, "four ! in a row", 0},
        {IN_POLICY, "four - in a row", 0},
        {IN_POLICY, "is T in", 0},
        {IN_POLICY, "has a.b", 0},
        {IN_POLICY, "[\"attr\"] access", 0},
        {IN_SCHEMA, "comment ended by \\n", 0},
        {IN_SCHEMA, "comment ended by \\r\\n", 0},
        {IN_SCHEMA, "comment ended by a lone \\r", 0},
        {IN_SCHEMA, "comment ended by the end of input", 0},
        {IN_SCHEMA, "\\u{..} with _ separators", 0},
        {IN_SCHEMA, "NEL (U+0085)", 0},
        {IN_SCHEMA, "line separator (U+2028)", 0},
        {IN_SCHEMA, "vertical tab and form feed", 0},
        {IN_ENTITIES, "\\uXXXX escape", 0},
        {IN_ENTITIES, "surrogate pair", 0},
        {IN_ENTITIES, "\\/ escape", 0},
        {IN_ENTITIES, "__entity escape", 0},
        {IN_ENTITIES, "__extn escape", 0},
        {IN_ENTITIES, "the schema's actions listed", 0},
    };
    uint8_t bytes[1500];
    for (unsigned seed = 1; seed <= N_CASES; seed++) {
        fill(bytes, sizeof bytes, seed * 0x9e3779b97f4a7c15ull);
        m_arena *a = m_arena_new();
        gen_src s;
        gen_src_init(&s, bytes, sizeof bytes);
        gen_opts o = {.mode = seed % 2 ? GEN_TYPED : GEN_LOOSE,
                      .max_policies = 5,
                      .max_requests = 3,
                      .templates = true};
        gen_case c;
        gen_case_build(&c, a, &s, &o, NULL);
        gen_texts t;
        gen_emit_case(&t, &c);
        gen_emit_other_schema(&t, &c);
        const gen_buf *pol = &t.policies, *sch = t.schema_is_json ? &t.schema_other : &t.schema;
        const gen_buf *ent = &t.entities;
        unsigned pc = comment_ends(pol), sc = comment_ends(sch);
        unsigned pu = u_escapes(pol), su = u_escapes(sch);
        char act[128];
        snprintf(act, sizeof act, "\"%.*s\"", (int)c.schema.action_type.len,
                 c.schema.action_type.ptr);
        bool found[] = {
            pc & 1,
            pc & 2,
            pc & 4,
            pc & 8,
            pu & 1,
            pu & 2,
            pu & 8,
            pu & 4,
            has(pol, "\\x2a") || has(pol, "\\x2A"),
            has(pol, "\\*"),
            has(pol, "\\x"),
            has(pol, "\\0"),
            has(pol, "\\'"),
            has(pol, "\t"),
            has(pol, "\v"),
            has(pol, "\f"),
            has(pol, "\xc2\x85"),
            has(pol, "\xc2\xa0"),
            has(pol, "\xe3\x80\x80"),
            has(pol, "\xe2\x80\xa8"),
            has(pol, "\xe2\x80\xa9"),
            has(pol, "!!!!"),
            has(pol, "----"),
            has_around_name(pol, " is ", " in"),
            has_around_name(pol, " has ", "."),
            has(pol, "[\""),
            sc & 1,
            sc & 2,
            sc & 4,
            sc & 8,
            su & 1,
            has(sch, "\xc2\x85"),
            has(sch, "\xe2\x80\xa8"),
            has(sch, "\v\f"),
            has(ent, "\\u"),
            has(ent, "\\ud") || has(ent, "\\uD"),
            has(ent, "\\/"),
            has(ent, "__entity"),
            has(ent, "__extn"),
            has(ent, act),
        };
        T_CHECK(GEN_N(found) == GEN_N(forms));
        for (size_t i = 0; i < GEN_N(forms) && i < GEN_N(found); i++)
            forms[i].count += found[i];
        gen_texts_free(&t);
        m_arena_free(a);
    }
    static const char *const in_name[] = {"policies", "schema text", "entities JSON"};
    for (size_t i = 0; i < GEN_N(forms); i++) {
        if (forms[i].count == 0)
            fprintf(stderr, "  never generated: %s: %s\n", in_name[forms[i].in], forms[i].name);
        T_CHECK(forms[i].count > 0);
    }
    printf("  surface forms over %d cases:", N_CASES);
    for (size_t i = 0; i < GEN_N(forms); i++)
        printf("%s %s: %s %zu", i ? ";" : "", in_name[forms[i].in], forms[i].name, forms[i].count);
    printf("\n");
}

/* The policy-JSON printer (gen_print_policies_json): every form it varies
 * appears over the cases, valid and with a defect. */
static void test_every_policy_json_form_appears(void)
{
    static const char *const names[] = {"\"staticPolicies\"",
                                        "\"templates\"",
                                        "\"templateLinks\"",
                                        "\"slot\"",
                                        "\"annotations\"",
                                        ":null",
                                        "\"Value\"",
                                        "\"__entity\"",
                                        "\"__extn\"",
                                        "\"Wildcard\"",
                                        "\"Literal\"",
                                        "{\"Literal\":\"\"}",
                                        "\"!=\"",
                                        "\">\"",
                                        "\">=\"",
                                        "\"entity_type\"",
                                        "\"in\":{\"",
                                        "\"attr\":[",
                                        "\"if-then-else\"",
                                        "\"Set\"",
                                        "\"Record\"",
                                        "\"neg\"",
                                        "\"isEmpty\"",
                                        "\"like\"",
                                        "\".\"",
                                        "\"entities\"",
                                        "\"All\"",
                                        "\"unless\"",
                                        "\"Var\"",
                                        "\"hasTag\"",
                                        "\"\\u",
                                        "\n",
                                        "\t"};
    size_t count[GEN_N(names)] = {0}, alone = 0, defects = 0;
    uint8_t bytes[1500];
    for (unsigned seed = 1; seed <= N_CASES; seed++) {
        fill(bytes, sizeof bytes, seed * 0x2545f4914f6cdd1dull);
        m_arena *a = m_arena_new();
        gen_src s;
        gen_src_init(&s, bytes, sizeof bytes);
        gen_opts o = {.mode = seed % 2 ? GEN_TYPED : GEN_LOOSE,
                      .max_policies = seed % 3 ? 5 : 1,
                      .max_requests = 1,
                      .templates = true};
        gen_case c;
        gen_case_build(&c, a, &s, &o, NULL);
        gen_style st;
        gen_style_init(&st, seed);
        gen_buf b, compact;
        gen_buf_init(&b);
        gen_buf_init(&compact);
        bool is_alone;
        gen_print_policies_json(&b, &c, &st, seed % 4 ? 0 : seed, &is_alone);
        alone += is_alone;
        defects += seed % 4 == 0;
        /* the names are looked for with the white space taken out (but
         * white space itself is counted in the text as printed) */
        bool in_str = false;
        for (size_t i = 0; i < b.len; i++) {
            char ch = b.data[i];
            if (ch == '"' && (i == 0 || b.data[i - 1] != '\\')) in_str = !in_str;
            if (in_str || (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r'))
                gen_buf_putc(&compact, ch);
        }
        for (size_t i = 0; i < GEN_N(names); i++)
            count[i] += names[i][0] == '\n' || names[i][0] == '\t' ? has(&b, names[i])
                                                                   : has(&compact, names[i]);
        gen_buf_free(&b);
        gen_buf_free(&compact);
        m_arena_free(a);
    }
    for (size_t i = 0; i < GEN_N(names); i++) {
        if (count[i] == 0) fprintf(stderr, "  never generated in policy JSON: %s\n", names[i]);
        T_CHECK(count[i] > 0);
    }
    T_CHECK(alone > 0 && defects > 0);
    printf("  policy JSON forms over %d cases (%zu one policy alone, %zu with a defect):", N_CASES,
           alone, defects);
    for (size_t i = 0; i < GEN_N(names); i++)
        printf(" %s %zu",
               names[i][0] == '\n'   ? "\\n"
               : names[i][0] == '\t' ? "\\t"
                                     : names[i],
               count[i]);
    printf("\n");
}

int main(void)
{
    T_RUN(test_every_surface_form_appears);
    T_RUN(test_every_policy_json_form_appears);
    T_DONE();
}
