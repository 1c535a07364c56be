//! Parse + validate + format arbitrary bytes: nothing may panic.
//! Run: `cargo fuzz run check` (from this folder's parent; see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orm_schema::{Diagnostics, SourceFiles};

fuzz_target!(|data: &[u8]| {
    let mut diags = Diagnostics::default();
    let mut files = SourceFiles::new();
    files.add_bytes("schema.orm", data.to_vec(), &mut diags);
    let checked = orm_schema::check(files, diags);
    for d in checked.diagnostics.iter() {
        let _ = checked.files.render(d, false);
    }
    let file = checked.files.get(orm_schema::FileId(0));
    let _ = orm_schema::format::format_file(&checked.asts[0], &file.text, &[]);
});
