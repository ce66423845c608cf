pub(crate) enum MaybeDone<F> {
    Future(F),
    Done,
}
