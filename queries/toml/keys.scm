; TOML: top-level keys, then `[table]` and `[[array]]` headers (roles: see src/scan/data.rs).
(document (pair . (_) @key.dotted) @entry)
(document (table . (_) @key.table) @entry)
(document (table_array_element . (_) @key.array) @entry)
