//! Two globs of one scope that both bring in a `Config`: the struct from
//! the crate root and the variant. Rust tells them apart by namespace.
use {super::*, Kind::*};

pub fn is_config(k: &Kind) -> bool {
    matches!(k, Config(_))
}
