//! The conformance suite entry point (cucumber-rs, `harness = false`).

fn main() {}
