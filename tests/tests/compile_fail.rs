//! Mistakes the generated client refuses to compile (trybuild): each `tests/ui/*.rs` uses the
//! golden example client wrongly, and `*.stderr` holds the compiler's error.
//! `TRYBUILD=overwrite cargo test -p orm-tests --test compile_fail` rewrites the expectations.

#[test]
fn typed_client_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
