//! Fuzz target: extraction of one Go file from arbitrary bytes never
//! panics, terminates, and cites only lines that exist and hold the name.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod check;

fuzz_target!(|data: &[u8]| check::check("go", data));
