//! Receivers typed by generic bounds, `where` clauses and `impl Trait`
//! parameters, values bound by `if` and `match`, and receivers typed through
//! standard-library returns (`unwrap`, `iter().next()`, `first`, `get`).
pub trait Cache {
    fn fetch(&self, key: u32) -> Option<Entry>;
}

pub trait Store {
    fn fetch(&self, key: u32) -> Option<Entry>;
}

pub struct Entry {
    pub size: u32,
}

impl Entry {
    pub fn weight(&self) -> u32 {
        self.size
    }
}

pub struct Disk;

impl Cache for Disk {
    fn fetch(&self, _key: u32) -> Option<Entry> {
        None
    }
}

pub fn bounded<C: Cache>(c: C) -> bool {
    c.fetch(1).is_some()
}

pub fn with_where<C>(c: &C) -> bool
where
    C: Cache + Send,
{
    c.fetch(2).is_some()
}

pub fn opaque(c: impl Cache) -> bool {
    c.fetch(3).is_some()
}

pub fn two_bounds<S: Cache + Store>(s: S) -> bool {
    s.fetch(4).is_some()
}

pub fn branches(flag: bool, a: Entry, b: Entry) -> u32 {
    let chosen = if flag { a } else { b };
    let picked = match flag {
        true => Entry { size: 1 },
        false => Entry { size: 2 },
    };
    chosen.weight() + picked.weight()
}

pub fn std_returns(c: &Disk, all: Vec<Entry>) -> u32 {
    let first = all.iter().next().unwrap();
    let head = all.first().unwrap();
    let got = c.fetch(5).unwrap();
    first.weight() + head.weight() + got.weight() + all.get(0).unwrap().weight()
}

pub enum Code {
    Failed,
}

impl Code {
    pub fn exit(self) -> u8 {
        1
    }
}

pub fn stop() -> u8 {
    Code::Failed.exit()
}
