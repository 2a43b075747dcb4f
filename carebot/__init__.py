"""carebot, installed as one package. The parts live in the project's top-level folders
(`bot/`, `storage/`, `reports/`, ...), as the design card keeps them; each folder here is
a link to its part, so every module is imported as `carebot.<part>.<module>` and nothing
with a generic name (`bot`, `settings`, `storage`) lands in site-packages."""
