mod maybe_done;
pub(crate) use maybe_done::MaybeDone;
