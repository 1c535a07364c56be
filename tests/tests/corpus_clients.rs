//! The generated client of every schema in the shared corpus compiles (tests/build.rs
//! generates them into `OUT_DIR` and this file includes them all), and stays small.

mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus_clients.rs"));
}

#[test]
fn every_valid_corpus_schema_has_a_compiling_client() {
    // 13 of the corpus's 17 project schemas validate (see tests/corpus.rs); a missing corpus is a
    // failure, not a skip.
    assert!(
        corpus::CLIENTS.len() >= 13,
        "only {} corpus clients were generated: is the corpus at {}?",
        corpus::CLIENTS.len(),
        orm_tests::corpus_dir().display()
    );
    let files: usize = corpus::CLIENTS.iter().map(|c| c.1).sum();
    let bytes: u64 = corpus::CLIENTS.iter().map(|c| c.2).sum();
    // Every model file, plus `mod.rs` and (usually) `enums.rs` per project.
    let models = files - 2 * corpus::CLIENTS.len();
    let per_model = bytes / models.max(1) as u64;
    println!(
        "{} corpus clients, {files} files, {bytes} bytes: about {per_model} bytes per model",
        corpus::CLIENTS.len()
    );
    // 9.5 KB before relations; each relation field adds its slot, accessor and constant
    // (about 600 bytes): 12.4 KB on this corpus. The nested-write inputs (`CreateWithout…`,
    // the wrappers of required relations) bring it to 14.8 KB. The ceiling the relations
    // issue set: 15 KB.
    assert!(per_model < 15_000, "generated code grew to {per_model} bytes per model");
}
