; JSON: every pair (@key, @entry), and the pairs whose value is a string (@value)
; (roles: see src/scan/data.rs).
(pair key: (string) @key value: (string) @value) @entry
(pair key: (string) @key) @entry
