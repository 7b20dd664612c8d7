//! Misuse the constructs' types reject, one case per file under `tests/fails/`, each with
//! the compiler's message in its `.stderr` (cases `a_*` and `b_*` come from the two ports
//! to the generated L1 types). After a deliberate change of a message:
//! `TRYBUILD=overwrite cargo test --workspace --all-features --test compile_fail`, then
//! read every changed `.stderr`.
#[test]
fn misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/fails/*.rs");
}
