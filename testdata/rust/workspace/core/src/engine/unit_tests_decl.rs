pub(crate) struct Declared;
