"""Organisations, memberships and roles, API tokens, and the access policy (accounts.policy)."""
