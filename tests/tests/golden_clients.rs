//! The golden files of `codegen/tests/client/` are compiled here, as a crate would compile the
//! output of `orm generate`: a golden file that stops compiling (or starts warning, under
//! clippy's `-D warnings`) fails the build, not just a diff.

use orm_runtime::{Model, ScalarKind};

#[rustfmt::skip]
#[path = "../../codegen/tests/client/example/mod.rs"]
mod example;

#[rustfmt::skip]
#[path = "../../codegen/tests/client/kitchen/mod.rs"]
mod kitchen;

#[test]
fn golden_clients_describe_their_tables() {
    let users = <example::User as Model>::TABLE;
    assert_eq!((users.model, users.name), ("User", "users"));
    let created = &users.columns[4];
    assert_eq!((created.field, created.name, created.kind), ("createdAt", "created_at", ScalarKind::DateTime));
    let accounts = <kitchen::Account as Model>::TABLE;
    assert_eq!(accounts.name, "accounts table");
    assert_eq!(
        accounts.uniques.iter().map(|u| u.name).collect::<Vec<_>>(),
        ["accounts table_pkey", "accounts table_user handle_key", "accounts table_tenant_number_key"]
    );
}
