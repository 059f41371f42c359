/* cd_pattern.c: matching `like` patterns.
 *
 * The pattern is split at its wildcards into groups of literal runs. The
 * first group must match at the start (unless the pattern starts with `*`),
 * the last at the end (unless it ends with `*`), and each group in between
 * is matched at its leftmost occurrence after the previous one. Taking the
 * leftmost occurrence is always safe with `*` as the only wildcard, so there
 * is no backtracking: the time is O(len(s) * len(pattern)) at worst.
 */
#include <string.h>

#include "cd_ast.h"

/* Does the group elems[a..b) (literal runs only) match s exactly at pos? */
static bool group_at(const cd_pat_elem *el, size_t a, size_t b, cd_str s, size_t pos)
{
    for (size_t k = a; k < b; k++) {
        cd_str lit = el[k].lit;
        if (lit.len == 0) continue;
        if (lit.len > s.len - pos || memcmp(s.ptr + pos, lit.ptr, lit.len) != 0) return false;
        pos += lit.len;
    }
    return true;
}

static size_t group_len(const cd_pat_elem *el, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t k = a; k < b; k++)
        n += el[k].lit.len;
    return n;
}

/* Leftmost position >= lo where the group matches within s[..hi); returns
 * false when there is none. */
static bool group_find(const cd_pat_elem *el, size_t a, size_t b, cd_str s, size_t lo, size_t hi,
                       size_t *found)
{
    size_t glen = group_len(el, a, b);
    cd_str win = {s.ptr, hi};
    if (glen == 0) {
        *found = lo;
        return true;
    }
    size_t k = a;
    while (el[k].lit.len == 0)
        k++; /* glen > 0, so some run is non-empty */
    char first = el[k].lit.ptr[0];
    for (size_t pos = lo; pos + glen <= hi; pos++) {
        /* skip to the next occurrence of the group's first byte */
        const char *p = memchr(s.ptr + pos, first, hi - glen - pos + 1);
        if (!p) return false;
        pos = (size_t)(p - s.ptr);
        if (group_at(el, a, b, win, pos)) {
            *found = pos;
            return true;
        }
    }
    return false;
}

bool cd_pattern_match(const cd_pattern *p, cd_str s)
{
    const cd_pat_elem *el = p->elems;
    size_t n = p->n;
    size_t i = 0, lo = 0, hi = s.len;
    /* leading group (before the first star) is anchored at the start */
    size_t g = 0;
    while (g < n && !el[g].star)
        g++;
    if (g == n) /* no wildcard at all: exact match */
        return group_len(el, 0, n) == s.len && group_at(el, 0, n, s, 0);
    if (!group_at(el, 0, g, s, 0)) return false;
    lo = group_len(el, 0, g);
    i = g;
    /* trailing group (after the last star) is anchored at the end */
    size_t t = n;
    while (t > 0 && !el[t - 1].star)
        t--;
    size_t tlen = group_len(el, t, n);
    if (tlen > hi - lo) return false;
    if (!group_at(el, t, n, s, hi - tlen)) return false;
    hi -= tlen;
    /* middle groups, leftmost first */
    while (i < t) {
        if (el[i].star) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < t && !el[j].star)
            j++;
        size_t at;
        if (!group_find(el, i, j, s, lo, hi, &at)) return false;
        lo = at + group_len(el, i, j);
        i = j;
    }
    return true;
}
