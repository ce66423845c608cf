//! The JSON inventory (schema in README.md, versioned by `schema_version`).

use std::io::Write;

use crate::model::Inventory;

/// Pretty-printed JSON with a trailing newline, streamed into `out`. Field
/// order is the struct's; every list is already sorted, so equal models give
/// equal bytes.
pub(crate) fn write_json(inv: &Inventory, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, inv)?;
    out.write_all(b"\n")
}
