#[test]
fn integration() {}

pub fn test_helper() {}
