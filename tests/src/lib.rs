//! End-to-end tests live in `tests/`; this library holds what they share.

pub mod connection;
pub mod schemas;
pub mod scratch;
pub mod statements;

use std::path::PathBuf;

/// The shared corpus of real-world Prisma schemas: `ORM_CORPUS_DIR`, else `../shared/corpus`
/// beside the repository (where CI and development machines have it).
pub fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ORM_CORPUS_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}
