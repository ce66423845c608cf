//! The JSON inventory (schema in README.md, versioned by `schema_version`).

use crate::model::Inventory;

/// Pretty-printed JSON with a trailing newline. Field order is the struct's;
/// every list is already sorted, so equal models give equal bytes.
pub(crate) fn render_json(inv: &Inventory) -> String {
    let mut s =
        serde_json::to_string_pretty(inv).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
