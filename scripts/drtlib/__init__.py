"""The differential-testing workflow behind scripts/drt."""
