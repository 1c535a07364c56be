fn main() {
    for arg in std::env::args().skip(1) {
        let mut diags = orm_schema::Diagnostics::default();
        let files = orm_schema::SourceFiles::load(std::path::Path::new(&arg), &mut diags).unwrap();
        let checked = orm_schema::check(files, diags);
        println!(
            "== {arg}: {} models, {} enums, {} relations",
            checked.schema.models.len(),
            checked.schema.enums.len(),
            checked.schema.relations.len()
        );
        for d in checked.sorted_diagnostics() {
            println!("{}", checked.files.short(&d));
        }
    }
}
