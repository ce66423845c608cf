; JSON: the keys of the top-level object (roles: see src/scan/data.rs).
(document (object (pair key: (string) @key) @entry))
