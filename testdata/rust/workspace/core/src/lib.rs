//! Core engine of the demo workspace.
//!
//! Everything else builds on it.

pub mod engine;
#[path = "platform/unix_impl.rs"]
pub mod platform;
mod util {
    pub(crate) fn helper() -> u32 {
        fn nested_local() {}
        1
    }

    pub mod deeper {
        pub struct Deep;
    }
}

macro_rules! cfg_fast {
    ($($item:item)*) => { $( #[cfg(feature = "fast")] $item )* };
}

cfg_fast! {
    /// Only with the fast feature.
    pub fn fast_path() -> bool { true }
    pub struct FastConfig { pub level: u8 }
}

/// Exported macro.
#[macro_export]
macro_rules! make_engine {
    () => { $crate::engine::Engine::new() };
}

pub const VERSION: &str = "1";
pub static mut COUNTER: u64 = 0;
const _: () = ();

pub union Bits {
    pub int: u32,
    float: f32,
}

extern "C" {
    pub fn abs(x: i32) -> i32;
    static errno: i32;
}

#[cfg(test)]
mod tests {
    #[test]
    fn works() {}
}
