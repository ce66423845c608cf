//! Receivers whose chase comes back to itself: `c` is read with its last
//! binding, whose value reads `c` again.

#[derive(Clone)]
pub struct Conn;

impl Conn {
    pub fn open() -> Conn {
        Conn
    }

    pub fn transmit(&self) {}
}

pub fn reconnect(flag: bool) {
    let c = Conn::open();
    let c = if flag { c.clone() } else { Conn::open() };
    let c = match flag {
        true => c.clone().clone(),
        false => Conn::open(),
    };
    c.transmit();
}

pub fn lost(flag: bool) {
    let d = Conn::open();
    let d = if flag { d.clone() } else { d.clone().clone() };
    d.transmit();
}
