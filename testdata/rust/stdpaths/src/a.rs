use std::future::Future;

use crate::future::MaybeDone;

pub fn run<F: Future>(f: F) -> MaybeDone<F> {
    MaybeDone::Future(f)
}

pub fn body(_: &dyn ::core::future::Future<Output = ()>) {}

pub fn other<T: std::future::Future>(t: T) -> T {
    t
}
