/* cd_value.c: building sets and records, and equality, order and hashing of
 * values. The order (cd_value_cmp) is an implementation order used to keep
 * set elements sorted; it agrees with Cedar's `==`: cmp(a, b) == 0 exactly
 * when cd_value_eq(a, b). */
#include <stdlib.h>
#include <string.h>

#include "cd_value.h"

/* ---- entity uids -------------------------------------------------------- */

bool cd_uid_eq(const cd_uid *a, const cd_uid *b)
{
    /* interned types compare by pointer; two cached hashes that differ
     * settle it before the bytes */
    if (a->type != b->type) return false;
    if (a->hash && b->hash && a->hash != b->hash) return false;
    return cd_str_eq(a->id, b->id);
}

int cd_uid_cmp(const cd_uid *a, const cd_uid *b)
{
    if (a->type != b->type) {
        /* Interned names are equal only when identical, so comparing their
         * text gives a deterministic order consistent with equality. */
        int c = cd_str_cmp(cd_name_str(a->type), cd_name_str(b->type));
        if (c) return c;
    }
    return cd_str_cmp(a->id, b->id);
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t cd_uid_hash(const cd_uid *u)
{
    if (u->hash) return u->hash;
    return cd_hash_bytes(u->id.ptr, u->id.len, u->type->hash); /* keyed: see cd_hash.c */
}

/* ---- extension values --------------------------------------------------- */

static size_t ip_len(const cd_ipaddr *ip)
{
    return ip->v6 ? 16 : 4;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int ext_cmp(const cd_ext *a, const cd_ext *b)
{
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    switch (a->kind) {
    case CD_EXT_DECIMAL: return cmp_i64(a->u.decimal, b->u.decimal);
    case CD_EXT_DATETIME: return cmp_i64(a->u.datetime_ms, b->u.datetime_ms);
    case CD_EXT_DURATION: return cmp_i64(a->u.duration_ms, b->u.duration_ms);
    case CD_EXT_IPADDR: {
        const cd_ipaddr *x = &a->u.ip, *y = &b->u.ip;
        if (x->v6 != y->v6) return x->v6 ? 1 : -1; /* IPv4 before IPv6 */
        int c = memcmp(x->addr, y->addr, ip_len(x));
        if (c) return c < 0 ? -1 : 1;
        return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
    }
    }
    return 0;
}

static uint64_t ext_hash(const cd_ext *e)
{
    uint64_t h = (uint64_t)e->kind * 0x9e3779b97f4a7c15ULL;
    switch (e->kind) {
    case CD_EXT_DECIMAL: return mix64(h ^ (uint64_t)e->u.decimal);
    case CD_EXT_DATETIME: return mix64(h ^ (uint64_t)e->u.datetime_ms);
    case CD_EXT_DURATION: return mix64(h ^ (uint64_t)e->u.duration_ms);
    case CD_EXT_IPADDR: {
        const cd_ipaddr *ip = &e->u.ip;
        uint64_t s = h ^ ((uint64_t)ip->v6 << 8) ^ ip->prefix;
        return mix64(cd_hash_bytes(ip->addr, ip_len(ip), s));
    }
    }
    return h;
}

/* ---- values ------------------------------------------------------------- */

bool cd_value_eq(const cd_value *a, const cd_value *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CD_V_BOOL: return a->u.b == b->u.b;
    case CD_V_LONG: return a->u.l == b->u.l;
    case CD_V_STRING: return cd_str_eq(a->u.s, b->u.s);
    case CD_V_ENTITY: return cd_uid_eq(&a->u.uid, &b->u.uid);
    case CD_V_SET:
        /* Both are sorted and duplicate-free, so set equality is element-wise. */
        if (a->u.set.n != b->u.set.n) return false;
        for (size_t i = 0; i < a->u.set.n; i++)
            if (!cd_value_eq(&a->u.set.items[i], &b->u.set.items[i])) return false;
        return true;
    case CD_V_RECORD:
        if (a->u.rec.n != b->u.rec.n) return false;
        for (size_t i = 0; i < a->u.rec.n; i++) {
            if (!cd_str_eq(a->u.rec.keys[i], b->u.rec.keys[i])) return false;
            if (!cd_value_eq(&a->u.rec.vals[i], &b->u.rec.vals[i])) return false;
        }
        return true;
    case CD_V_EXT: return ext_cmp(&a->u.ext, &b->u.ext) == 0;
    }
    return false;
}

int cd_value_cmp(const cd_value *a, const cd_value *b)
{
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    switch (a->kind) {
    case CD_V_BOOL: return (int)a->u.b - (int)b->u.b;
    case CD_V_LONG: return cmp_i64(a->u.l, b->u.l);
    case CD_V_STRING: return cd_str_cmp(a->u.s, b->u.s);
    case CD_V_ENTITY: return cd_uid_cmp(&a->u.uid, &b->u.uid);
    case CD_V_SET: {
        const cd_set *x = &a->u.set, *y = &b->u.set;
        size_t n = x->n < y->n ? x->n : y->n;
        for (size_t i = 0; i < n; i++) {
            int c = cd_value_cmp(&x->items[i], &y->items[i]);
            if (c) return c;
        }
        return x->n < y->n ? -1 : x->n > y->n;
    }
    case CD_V_RECORD: {
        const cd_record *x = &a->u.rec, *y = &b->u.rec;
        size_t n = x->n < y->n ? x->n : y->n;
        for (size_t i = 0; i < n; i++) {
            int c = cd_str_cmp(x->keys[i], y->keys[i]);
            if (c) return c;
            c = cd_value_cmp(&x->vals[i], &y->vals[i]);
            if (c) return c;
        }
        return x->n < y->n ? -1 : x->n > y->n;
    }
    case CD_V_EXT: return ext_cmp(&a->u.ext, &b->u.ext);
    }
    return 0;
}

uint64_t cd_value_hash(const cd_value *v)
{
    uint64_t h = mix64((uint64_t)v->kind + 1);
    switch (v->kind) {
    case CD_V_BOOL: return mix64(h ^ (uint64_t)v->u.b);
    case CD_V_LONG: return mix64(h ^ (uint64_t)v->u.l);
    case CD_V_STRING: return mix64(cd_hash_bytes(v->u.s.ptr, v->u.s.len, h));
    case CD_V_ENTITY: return mix64(h ^ cd_uid_hash(&v->u.uid));
    case CD_V_SET:
        /* Elements are in canonical (sorted) order, so a sequential combination
         * gives equal sets equal hashes. */
        for (size_t i = 0; i < v->u.set.n; i++)
            h = mix64(h * 31 + cd_value_hash(&v->u.set.items[i]));
        return h;
    case CD_V_RECORD:
        for (size_t i = 0; i < v->u.rec.n; i++) {
            cd_str k = v->u.rec.keys[i];
            h = mix64(cd_hash_bytes(k.ptr, k.len, h));
            h = mix64(h * 31 + cd_value_hash(&v->u.rec.vals[i]));
        }
        return h;
    case CD_V_EXT: return mix64(h ^ ext_hash(&v->u.ext));
    }
    return h;
}

/* ---- building sets and records ------------------------------------------ */

static int qsort_value_cmp(const void *a, const void *b)
{
    return cd_value_cmp(a, b);
}

cd_value cd_set_make(cd_value *items, size_t n)
{
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        if (cd_value_cmp(&items[i - 1], &items[i]) >= 0) sorted = false;
    if (!sorted) {
        cd_sort(items, n, sizeof *items, qsort_value_cmp);
        size_t w = 0;
        for (size_t i = 1; i < n; i++)
            if (cd_value_cmp(&items[w], &items[i]) != 0) items[++w] = items[i];
        n = w + 1;
    }
    cd_value v = {.kind = CD_V_SET};
    v.u.set.n = n;
    v.u.set.items = n ? items : NULL;
    return v;
}

static void rec_swap(cd_str *keys, cd_value *vals, size_t i, size_t j)
{
    cd_str k = keys[i];
    keys[i] = keys[j];
    keys[j] = k;
    cd_value v = vals[i];
    vals[i] = vals[j];
    vals[j] = v;
}

static void rec_sift_down(cd_str *keys, cd_value *vals, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && cd_str_cmp(keys[child], keys[child + 1]) < 0) child++;
        if (cd_str_cmp(keys[root], keys[child]) >= 0) return;
        rec_swap(keys, vals, root, child);
        root = child;
    }
}

/* Sort two parallel arrays by key in place: insertion sort for the small
 * records that are the common case, heap sort otherwise. */
static void rec_sort(cd_str *keys, cd_value *vals, size_t n)
{
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && cd_str_cmp(keys[j - 1], keys[j]) > 0; j--)
                rec_swap(keys, vals, j - 1, j);
        return;
    }
    for (size_t i = n / 2; i-- > 0;)
        rec_sift_down(keys, vals, i, n);
    for (size_t end = n; end-- > 1;) {
        rec_swap(keys, vals, 0, end);
        rec_sift_down(keys, vals, 0, end);
    }
}

bool cd_record_make(cd_str *keys, cd_value *vals, size_t n, cd_value *out, cd_str *dup)
{
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; i++)
        if (cd_str_cmp(keys[i - 1], keys[i]) >= 0) sorted = false;
    if (!sorted) {
        rec_sort(keys, vals, n);
        for (size_t i = 1; i < n; i++) {
            if (cd_str_eq(keys[i - 1], keys[i])) {
                if (dup) *dup = keys[i];
                return false;
            }
        }
    }
    cd_value v = {.kind = CD_V_RECORD};
    v.u.rec.n = n;
    v.u.rec.keys = n ? keys : NULL;
    v.u.rec.vals = n ? vals : NULL;
    *out = v;
    return true;
}

/* ---- set and record queries ---------------------------------------------- */

/* Index of the first element of items[lo..n) that is >= v. */
static size_t lower_bound(const cd_value *items, size_t lo, size_t n, const cd_value *v)
{
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cd_value_cmp(&items[mid], v) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool cd_set_contains(const cd_set *s, const cd_value *v)
{
    size_t i = lower_bound(s->items, 0, s->n, v);
    return i < s->n && cd_value_eq(&s->items[i], v);
}

/* When one side is much smaller, binary searches beat a linear merge. */
static bool prefer_search(size_t small, size_t big)
{
    return small * 8 < big;
}

bool cd_set_subset(const cd_set *sub, const cd_set *super)
{
    if (sub->n > super->n) return false; /* both are duplicate-free */
    if (prefer_search(sub->n, super->n)) {
        size_t lo = 0;
        for (size_t i = 0; i < sub->n; i++) {
            lo = lower_bound(super->items, lo, super->n, &sub->items[i]);
            if (lo == super->n || !cd_value_eq(&super->items[lo], &sub->items[i])) return false;
            lo++;
        }
        return true;
    }
    size_t j = 0;
    for (size_t i = 0; i < sub->n; i++) {
        int c = -1;
        while (j < super->n && (c = cd_value_cmp(&super->items[j], &sub->items[i])) < 0)
            j++;
        if (j == super->n || c != 0) return false;
        j++;
    }
    return true;
}

bool cd_set_intersects(const cd_set *a, const cd_set *b)
{
    if (a->n > b->n) {
        const cd_set *t = a;
        a = b;
        b = t;
    }
    if (prefer_search(a->n, b->n)) {
        size_t lo = 0;
        for (size_t i = 0; i < a->n && lo < b->n; i++) {
            lo = lower_bound(b->items, lo, b->n, &a->items[i]);
            if (lo < b->n && cd_value_eq(&b->items[lo], &a->items[i])) return true;
        }
        return false;
    }
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        int c = cd_value_cmp(&a->items[i], &b->items[j]);
        if (c == 0) return true;
        if (c < 0)
            i++;
        else
            j++;
    }
    return false;
}

const cd_value *cd_record_get(const cd_record *r, cd_str key)
{
    const cd_str *k = cd_str_search(r->keys, r->n, sizeof *r->keys, key);
    return k ? &r->vals[k - r->keys] : NULL;
}
