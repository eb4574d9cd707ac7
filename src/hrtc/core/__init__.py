"""Shared building blocks: audit, API conventions, domain errors, the web shell and health check."""
