"""PostgreSQL's migrations: the schema at version 22, then each later one (storage/schema.py)."""
