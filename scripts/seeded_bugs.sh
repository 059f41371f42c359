#!/usr/bin/env bash
# Seeded-bug campaign: see `scripts/drt seeded-bugs --help`.
exec "$(dirname "$0")/drt" seeded-bugs "$@"
