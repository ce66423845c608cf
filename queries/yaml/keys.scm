; YAML: the keys of each document's top-level mapping (roles: see src/scan/data.rs).
(stream (document (block_node (block_mapping (block_mapping_pair key: (_) @key) @entry))))
(stream (document (flow_node (flow_mapping (flow_pair key: (_) @key) @entry))))
