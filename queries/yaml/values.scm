; YAML: every mapping pair (@key, @entry), and the pairs whose value is a scalar
; (@value) (roles: see src/scan/data.rs).
(block_mapping_pair key: (_) @key value: (flow_node [(plain_scalar) (double_quote_scalar) (single_quote_scalar)] @value)) @entry
(flow_pair key: (_) @key value: (flow_node [(plain_scalar) (double_quote_scalar) (single_quote_scalar)] @value)) @entry
(block_mapping_pair key: (_) @key) @entry
(flow_pair key: (_) @key) @entry
