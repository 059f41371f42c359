/* m_value.c: equality of values and the set and record operations
 * (Value.lean, Data/Set.lean, Data/Map.lean), as plain loops over arrays. */
#include <string.h>

#include "model.h"

/* Two entity uids are equal when their types and ids are. */
bool m_uid_eq(m_uid a, m_uid b)
{
    return m_str_eq(a.type, b.type) && m_str_eq(a.id, b.id);
}

/*@ // Value equality as m_value_eq decides it (its contract below; not
    // proved: DRT and the unit tests check it against core and the spec).
    axiomatic Equality { predicate value_eq(m_value a, m_value b); }
    // The elements of a set value can be read.
    predicate readable{L}(m_value s) = \valid_read(s.u.set.elems + (0 .. s.u.set.n - 1));
    // Set.contains: some element of s equals v.
    predicate contains{L}(m_value s, m_value v) =
      \exists integer i; 0 <= i < s.u.set.n && value_eq(s.u.set.elems[i], v);
*/

/*@ assigns \nothing;
    ensures \result <==> value_eq(a, b); */
bool m_value_eq(m_value a, m_value b);

/* Set.contains: some element equals v. */
/*@ requires readable(set);
    assigns \nothing;
    ensures contains: \result <==> contains(set, v); */
bool m_set_contains(m_value set, m_value v)
{
    /*@ loop invariant 0 <= i <= set.u.set.n;
        loop invariant \forall integer k; 0 <= k < i ==> !value_eq(set.u.set.elems[k], v);
        loop assigns i;
        loop variant set.u.set.n - i; */
    for (size_t i = 0; i < set.u.set.n; i++)
        if (m_value_eq(set.u.set.elems[i], v)) return true;
    return false;
}

/* Set.subset: every element of sub is in super (containsAll). */
/*@ requires readable(sub) && readable(super);
    assigns \nothing;
    ensures subset: \result <==>
      (\forall integer i; 0 <= i < sub.u.set.n ==> contains(super, sub.u.set.elems[i])); */
bool m_set_subset(m_value sub, m_value super)
{
    /*@ loop invariant 0 <= i <= sub.u.set.n;
        loop invariant checked:
          \forall integer k; 0 <= k < i ==> contains(super, sub.u.set.elems[k]);
        loop assigns i;
        loop variant sub.u.set.n - i; */
    for (size_t i = 0; i < sub.u.set.n; i++)
        if (!m_set_contains(super, sub.u.set.elems[i])) return false;
    return true;
}

/* Set.intersects: some element of a is in b (containsAny). */
/*@ requires readable(a) && readable(b);
    assigns \nothing;
    ensures intersects: \result <==>
      (\exists integer i; 0 <= i < a.u.set.n && contains(b, a.u.set.elems[i])); */
bool m_set_intersects(m_value a, m_value b)
{
    /*@ loop invariant 0 <= i <= a.u.set.n;
        loop invariant \forall integer k; 0 <= k < i ==> !contains(b, a.u.set.elems[k]);
        loop assigns i;
        loop variant a.u.set.n - i; */
    for (size_t i = 0; i < a.u.set.n; i++)
        if (m_set_contains(b, a.u.set.elems[i])) return true;
    return false;
}

/* Map.find?: the value of a record's field, if present. */
const m_value *m_record_find(m_value rec, m_str key)
{
    for (size_t i = 0; i < rec.u.rec.n; i++)
        if (m_str_eq(rec.u.rec.fields[i].key, key)) return &rec.u.rec.fields[i].val;
    return NULL;
}

/* Records are equal when they have the same keys (keys are unique) with equal values. */
static bool record_eq(m_value a, m_value b)
{
    if (a.u.rec.n != b.u.rec.n) return false;
    for (size_t i = 0; i < a.u.rec.n; i++) {
        const m_value *v = m_record_find(b, a.u.rec.fields[i].key);
        if (!v || !m_value_eq(a.u.rec.fields[i].val, *v)) return false;
    }
    return true;
}

/* Value equality: same kind and same contents; sets are equal when each is a
 * subset of the other; extension values compare by what they denote (an IP
 * address by family, prefix and bytes). */
bool m_value_eq(m_value a, m_value b)
{
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case M_V_BOOL: return a.u.b == b.u.b;
    case M_V_INT:
    case M_V_DECIMAL:
    case M_V_DATETIME:
    case M_V_DURATION: return a.u.i == b.u.i;
    case M_V_STRING: return m_str_eq(a.u.s, b.u.s);
    case M_V_ENTITY: return m_uid_eq(a.u.uid, b.u.uid);
    case M_V_SET: return m_set_subset(a, b) && m_set_subset(b, a);
    case M_V_RECORD: return record_eq(a, b);
    case M_V_IPADDR: return memcmp(&a.u.ip, &b.u.ip, sizeof a.u.ip) == 0;
    }
    return false;
}
