"""The SQLite database, and the only place with SQL: migrations, and one module per kind
of record, each function one transaction."""
