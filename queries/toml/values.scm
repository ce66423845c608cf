; TOML: every pair and `[table]` / `[[array]]` header (@key, @entry), and the
; pairs whose value is a string (@value) (roles: see src/scan/data.rs).
(pair . (_) @key (string) @value) @entry
(pair . (_) @key) @entry
(table . (_) @key) @entry
(table_array_element . (_) @key) @entry
