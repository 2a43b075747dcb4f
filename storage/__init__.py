"""The database (a SQLite file, or PostgreSQL), and the only place with SQL: migrations,
and one module per kind of record, each function one transaction."""
