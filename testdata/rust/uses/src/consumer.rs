//! A trait with an associated type, its impl, and a blanket impl on `T`.
pub trait Consumer {
    type Folder;
    fn into_folder(self) -> Self::Folder;
}

pub struct Sum;

impl Consumer for Sum {
    type Folder = u32;
    fn into_folder(self) -> Self::Folder {
        0
    }
}

pub trait Boxed {
    fn boxed(self) -> Vec<Self>
    where
        Self: Sized;
}

impl<T: Consumer> Boxed for T {
    fn boxed(self) -> Vec<Self> {
        vec![self]
    }
}

pub fn wrap<T: Consumer>(item: T) -> usize {
    item.boxed().len()
}
