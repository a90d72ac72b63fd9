//! Shared pieces of the property tests: a fixed seed, so `cargo test` runs the same
//! cases every time whatever `PROPTEST_RNG_SEED` says, and inputs built from the
//! tokens that matter to the parsers (line breaks, comment and string delimiters, bad
//! UTF-8) mixed with arbitrary bytes.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// 256 cases from a fixed seed; failures are not written to `proptest-regressions/`.
pub fn config() -> Config {
    Config {
        cases: 256,
        rng_seed: RngSeed::Fixed(0x7e1e_7e1e),
        failure_persistence: None,
        ..Config::default()
    }
}

const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r",
    b"\r\n",
    b"//",
    b"/*",
    b"*/",
    b"#",
    b"'",
    b"\"",
    b"`",
    b"\\",
    b"<!--",
    b"-->",
    b"=begin",
    b"=end",
    b"'''",
    b"\"\"\"",
    b"/",
    b" ",
    b"\t",
    b":",
    b"web",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b"a",
    b"0",
    b"\xC3\xA9",
    b"\xFF",
    b"\xC3",
    b"\xEF\xBB\xBF",
];

/// Bytes made of `TOKENS` and arbitrary bytes, up to about 300 long.
pub fn tricky_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(piece, 0..100).prop_map(|pieces| pieces.concat())
}
