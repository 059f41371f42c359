/* cd_validate.h: Cedar's policy validator (typechecker) against a schema.
 *
 * This follows the official implementation (cedar-policy-core
 * src/validator: Validator::validate, rbac.rs, typecheck.rs, types.rs) rule
 * for rule; the verdict of a policy is "valid" exactly when the official
 * validator reports no error for it. A policy is checked
 *  - once as a whole: every entity type it names is declared (action types
 *    `Action`/`NS::Action` always are), every action uid it names is
 *    declared, every uid of an enumerated entity type uses a declared id,
 *    and some action in the action scope applies to some principal and
 *    resource type allowed by the scope ("invalid action application");
 *  - then typechecked (scope and conditions as one boolean expression) in
 *    every request environment of the schema: for each action with an
 *    `appliesTo`, each principal type and each resource type it lists
 *    (templates: also each possible entity type of their slots). Errors of
 *    all environments are collected without duplicates.
 * Strict mode (the default) additionally rejects empty set literals,
 * non-literal arguments of extension constructors, and every least upper
 * bound between different entity types, records of different shapes or
 * attributes of different optionality; permissive mode computes unions.
 *
 * A linked policy (a template link) is checked for its slot values only:
 * their entity types are declared and the linked scope applies to some
 * action (the template itself is typechecked for every slot type).
 *
 * Warnings do not affect the verdict: a policy that is false in every
 * environment (or that applies to none) is reported as impossible.
 */
#ifndef CD_VALIDATE_H
#define CD_VALIDATE_H

#include "cd_ast.h"
#include "cd_schema.h"

typedef enum cd_vmode {
    CD_VMODE_STRICT,
    CD_VMODE_PERMISSIVE,
} cd_vmode;

/* The kinds of validation errors (the official ValidationError variants). */
typedef enum cd_verr_kind {
    CD_VE_UNRECOGNIZED_ENTITY_TYPE,
    CD_VE_UNRECOGNIZED_ACTION,
    CD_VE_INVALID_ENUM_ENTITY,
    CD_VE_INVALID_ACTION_APPLICATION,
    CD_VE_UNEXPECTED_TYPE,
    CD_VE_INCOMPATIBLE_TYPES,
    CD_VE_ATTRIBUTE_NOT_FOUND,       /* UnsafeAttributeAccess */
    CD_VE_UNSAFE_OPTIONAL_ATTRIBUTE, /* UnsafeOptionalAttributeAccess */
    CD_VE_UNSAFE_TAG_ACCESS,
    CD_VE_NO_TAGS_ALLOWED,
    CD_VE_WRONG_NUMBER_OF_ARGUMENTS,
    CD_VE_EXTENSION_ARGUMENT, /* FunctionArgumentValidation: a constructor's literal is invalid */
    CD_VE_EMPTY_SET_FORBIDDEN,
    CD_VE_NON_LITERAL_CONSTRUCTOR,
    CD_VE_UNDEFINED_FUNCTION, /* a call of an unknown function (policy JSON's `__extn`) */
    CD_VE_RECURSION_LIMIT,    /* too deep for the thread's stack (cd_stack.h) */
} cd_verr_kind;

/* "unrecognized entity type", ... (a stable short name for each kind). */
const char *cd_verr_kind_name(cd_verr_kind k);

typedef struct cd_verror {
    cd_verr_kind kind;
    cd_loc loc;          /* in the policy text; the policy's location when none is closer */
    const char *message; /* for a policy author; no policy id in it */
    const char *help;    /* a hint, or NULL */
} cd_verror;

typedef struct cd_vpolicy {
    const cd_policy *policy;
    bool valid;      /* no errors */
    bool impossible; /* warning: false in every request environment */
    size_t n_errors; /* sorted by location */
    const cd_verror *errors;
} cd_vpolicy;

typedef struct cd_vresult {
    bool valid; /* every policy is valid */
    size_t n;   /* one per policy, in policy-set order */
    const cd_vpolicy *policies;
} cd_vresult;

/* Validate every policy, template and link of ps against s in mode. Results
 * (messages included) are allocated in arena. */
void cd_validate(const cd_schema *s, const cd_policies *ps, cd_vmode mode, cd_arena *arena,
                 cd_vresult *out);

#endif
