//! The example application's migrations (`examples/blog/migrations/<provider>/`, written by
//! `orm migrate dev` and applied by the example at start-up) build exactly the database of
//! `schema.example.orm`, on every backend. When the schema changes, this fails until a new
//! migration is made: in a copy of the schema with the backend's provider, beside that
//! backend's folder, run `orm migrate dev --name <change>`.

use orm_codegen::{db_schema, diff};
use orm_db_schema::Dialect;
use orm_runtime::migrate::{MigrationsDir, Migrator};
use orm_tests::connection::Conn;
use orm_tests::scratch::ScratchDb;

#[tokio::test]
async fn the_example_migrations_build_the_example_schema_on_every_backend() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let schema = std::fs::read_to_string(root.join("schema.example.orm")).expect("the example schema");
    for dialect in Dialect::ALL {
        let Some(scratch) = ScratchDb::create(dialect).await else { continue };
        let dir = MigrationsDir::new(root.join("examples/blog/migrations").join(dialect.provider()));
        let local = dir.migrations().expect("the example's migrations");
        assert!(!local.is_empty(), "{dialect:?}: no migrations in {}", dir.path.display());
        assert!(
            dir.verify_lock(dialect.provider(), dialect).expect("lock file"),
            "{dialect:?}: no migration_lock.toml"
        );
        assert!(local.iter().all(|m| m.down.is_some()), "{dialect:?}: every migration has its down.sql");
        let mut migrator = Migrator::connect(&scratch.url).await.expect("connect");
        migrator.deploy(&local).await.unwrap_or_else(|e| panic!("{dialect:?}: {e}"));
        migrator.close().await.expect("close");

        let text = schema.replacen(r#"provider = "sqlite""#, &format!(r#"provider = "{}""#, dialect.provider()), 1);
        let checked = orm_schema::check_str(&text);
        assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
        let mut conn = Conn::open(&scratch).await;
        let actual = conn.introspect().await.expect("introspect");
        conn.close().await;
        let left: Vec<String> =
            diff(&actual, &db_schema::from_schema_for(&checked.schema, dialect)).iter().map(|s| s.describe()).collect();
        assert!(left.is_empty(), "{dialect:?}: schema.example.orm has changes no migration makes: {left:#?}");
    }
}
