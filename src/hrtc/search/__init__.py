"""Permission-aware multilingual search over recommendations, pledges, requests, activities and offers:
one text pipeline (text.py), one interface (engine.py) over SQLite FTS5 and PostgreSQL full-text search."""
