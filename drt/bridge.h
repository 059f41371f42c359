/* bridge.h: from what core parsed to the model's values.
 *
 * The only code that sees both core's types (core/src) and the model's
 * (model/model.h). It converts core's policies, entity store (with the
 * schema's action entities), requests and values, so that every input core
 * can read, the model can judge. The model's strings point into core's
 * memory (names, ids, keys, string values): keep core's objects alive while
 * the converted ones are in use. Everything else lives in the given arena.
 */
#ifndef DRT_BRIDGE_H
#define DRT_BRIDGE_H

#include "cd_ast.h"
#include "cd_entities.h"
#include "cd_schema.h"
#include "m_types.h"
#include "model.h"

m_uid drt_uid(cd_uid u);
m_value drt_value(m_arena *a, const cd_value *v);

/* A policy as the model sees it: Rust's Policy::condition, i.e.
 * principalScope && (actionScope && (resourceScope && (c1 && (c2 && ...)))),
 * with `unless { c }` as `!c`, `a > b` as `!(a <= b)` and `a >= b` as
 * `!(a < b)` (as the Rust parser builds them), and slots replaced by the
 * linked values. Returns false, with *why set to a static message, for a
 * policy with a slot it has no value for (an unlinked template). */
bool drt_policy(m_arena *a, const cd_policy *p, m_policy *out, const char **why);

/* The policies of ps that apply (unlinked templates skipped), in order, into
 * *out and *n. False, with *why set, when one of them cannot be converted. */
bool drt_policies(m_arena *a, const cd_policies *ps, m_policy **out, size_t *n, const char **why);

/* Every entity of the store with its attributes, tags and direct parents. */
m_entities drt_entities(m_arena *a, const cd_entities *es);

m_request drt_request(m_arena *a, const cd_request *rq);

/* The schema as the model's typechecker sees it (bridge_schema.c): entity
 * types with their attributes, tags, memberOf and enumerated ids; actions with
 * their parents, appliesTo (none without appliesTo) and context. */
void drt_schema(m_arena *a, const cd_schema *s, m_schema *out);

#endif
