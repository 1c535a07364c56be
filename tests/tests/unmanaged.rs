//! What `orm` does not manage stays out of its diffs: objects an extension owns (PostGIS's
//! `spatial_ref_sys`, its types), views, functions and triggers made by hand, and indexes the
//! schema language has no word for (partial ones, ones over expressions), which are read as
//! their definitions so that no diff drops one, and a SQLite table rebuild makes them again.

use orm_codegen::{db_schema, diff, render, render_script};
use orm_db_schema::{DbSchema, Dialect};
use orm_tests::connection::Conn;
use orm_tests::scratch::ScratchDb;

const SCHEMA: &str = r#"
datasource db {
  provider = "PROVIDER"
}

model Place {
  id    Int     @id @default(autoincrement())
  name  String
  email String  EMAIL
  note  String?
  area  AREA
}
"#;

fn schema(dialect: Dialect, changed: bool) -> DbSchema {
    let (email, area) = match dialect {
        Dialect::Postgres => ("@db.Citext", r#"Unsupported("geometry(Point,4326)")?"#),
        _ => ("", "String?"),
    };
    let mut text = SCHEMA.replace("PROVIDER", dialect.provider()).replace("EMAIL", email).replace("AREA", area);
    if dialect == Dialect::Postgres {
        text = text
            .replace("  area  AREA\n", "  area  AREA\n\n  @@index([name(ops: raw(\"gin_trgm_ops\"))], type: Gin)\n");
    }
    if changed {
        // A new default: SQLite rebuilds the table for it.
        text = text.replace("  name  String\n", "  name  String  @default(\"x\")\n");
    }
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}\n{text}", checked.sorted_diagnostics());
    db_schema::from_schema_for(&checked.schema, dialect)
}

/// The steps from the live database to `target`, as text, for the assertion messages.
async fn steps(conn: &mut Conn, target: &DbSchema) -> (DbSchema, String) {
    let actual = conn.introspect().await.expect("introspection");
    let steps = diff(&actual, target);
    let described: Vec<String> = steps.iter().map(|s| s.describe()).collect();
    (actual, described.join("\n"))
}

async fn run(dialect: Dialect, setup: &[&str], by_hand: &[&str]) {
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    let mut conn = Conn::open(&scratch).await;
    let setup: Vec<String> = setup.iter().map(|s| (*s).to_owned()).collect();
    conn.execute_all(&setup).await.unwrap_or_else(|e| panic!("{dialect:?}: creating the extensions: {e}"));

    // From empty: only the schema's table appears, and a re-diff finds nothing.
    let target = schema(dialect, false);
    let statements = render(&diff(&DbSchema::default(), &target), dialect).expect("renders");
    conn.execute_all(&statements).await.unwrap_or_else(|e| panic!("{dialect:?}: {e}"));
    let (actual, pending) = steps(&mut conn, &target).await;
    assert_eq!(pending, "", "{dialect:?}");
    let names: Vec<&str> = actual.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Place"], "{dialect:?}: extension tables are not the project's");
    assert!(actual.enums.is_empty(), "{dialect:?}: {:?}", actual.enums);

    // Views, functions, triggers and indexes made by hand: still nothing to do.
    let by_hand: Vec<String> = by_hand.iter().map(|s| (*s).to_owned()).collect();
    conn.execute_all(&by_hand).await.unwrap_or_else(|e| panic!("{dialect:?}: {e}"));
    conn.execute("INSERT INTO \"Place\" (\"name\", \"email\") VALUES ('a', 'a@x'), ('b', 'B@x')").await.expect("rows");
    let (actual, pending) = steps(&mut conn, &target).await;
    assert_eq!(pending, "", "{dialect:?}");
    let place = actual.table("Place").unwrap();
    let mut kept: Vec<&str> = place.unmanaged.iter().map(|i| i.name.as_str()).collect();
    kept.sort();
    let expected = match dialect {
        // PostgreSQL keeps its triggers through every ALTER: they need not be read.
        Dialect::Postgres => vec!["Place_lower_name_idx", "Place_named_idx"],
        _ => vec!["Place_lower_name_idx", "Place_named_idx", "Place_touch"],
    };
    assert_eq!(kept, expected, "{dialect:?}");
    assert!(diff(&target, &actual).is_empty() || dialect == Dialect::Postgres);

    // A change that rebuilds the table on SQLite: the hand-made indexes come back with it.
    let changed = schema(dialect, true);
    let script = render_script(&diff(&actual, &changed), dialect).expect("renders");
    let statements = render(&diff(&actual, &changed), dialect).expect("renders");
    conn.execute_all(&statements).await.unwrap_or_else(|e| panic!("{dialect:?}: {e}\n{script}"));
    let (after, pending) = steps(&mut conn, &changed).await;
    assert_eq!(pending, "", "{dialect:?}");
    let mut kept: Vec<&str> = after.table("Place").unwrap().unmanaged.iter().map(|i| i.name.as_str()).collect();
    kept.sort();
    assert_eq!(kept, expected, "{dialect:?}:\n{script}");
    if dialect == Dialect::Sqlite {
        assert!(script.contains("CREATE TRIGGER") && script.contains("WHERE \"note\" IS NOT NULL"), "{script}");
    }
    let view = conn.text_rows("SELECT \"name\" FROM \"PlaceNames\" ORDER BY \"name\"").await.expect("the view works");
    assert_eq!(view.len(), 2);
    let rows = conn.text_rows("SELECT CAST(COUNT(*) AS TEXT) FROM \"Place\"").await.expect("count");
    assert_eq!(rows, [[Some("2".to_owned())]]);
    conn.close().await;
}

#[tokio::test]
async fn extensions_and_hand_made_objects_are_left_alone_on_postgres() {
    run(
        Dialect::Postgres,
        &[
            "CREATE EXTENSION IF NOT EXISTS postgis",
            "CREATE EXTENSION IF NOT EXISTS citext",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        ],
        &[
            "CREATE INDEX \"Place_named_idx\" ON \"Place\" (\"name\") WHERE \"note\" IS NOT NULL",
            "CREATE INDEX \"Place_lower_name_idx\" ON \"Place\" (lower(\"name\"))",
            "CREATE VIEW \"PlaceNames\" AS SELECT \"name\" FROM \"Place\"",
            "CREATE FUNCTION place_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER \"Place_touch\" BEFORE UPDATE ON \"Place\" FOR EACH ROW EXECUTE FUNCTION place_touch()",
        ],
    )
    .await;
}

#[tokio::test]
async fn hand_made_objects_are_left_alone_and_survive_a_rebuild_on_sqlite() {
    run(
        Dialect::Sqlite,
        &[],
        &[
            "CREATE INDEX \"Place_named_idx\" ON \"Place\" (\"name\") WHERE \"note\" IS NOT NULL",
            "CREATE INDEX \"Place_lower_name_idx\" ON \"Place\" (lower(\"name\"))",
            "CREATE VIEW \"PlaceNames\" AS SELECT \"name\" FROM \"Place\"",
            // The table named in another case: SQLite finds it all the same, and so must we.
            "CREATE TRIGGER \"Place_touch\" AFTER UPDATE ON place BEGIN SELECT 1; END",
        ],
    )
    .await;
}

/// On SQLite: hand-made objects through renames, a dropped column, a `down.sql`, and a partial
/// unique index the schema also declares.
#[tokio::test]
async fn hand_made_objects_follow_renames_and_go_with_dropped_columns_on_sqlite() {
    let dialect = Dialect::Sqlite;
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    let mut conn = Conn::open(&scratch).await;
    let parse = |models: &str| {
        let checked = orm_schema::check_str(&format!("datasource db {{\n  provider = \"sqlite\"\n}}\n{models}"));
        assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
        db_schema::from_schema_for(&checked.schema, dialect)
    };
    let v1 = parse("model T {\n  id    Int     @id\n  email String  @unique\n  note  String?\n  gone  String?\n}\n");
    conn.execute_all(&render(&diff(&DbSchema::default(), &v1), dialect).unwrap()).await.unwrap();
    conn.execute_all(&[
        // The schema's `@unique` made partial by hand, as Prisma projects do for soft deletes.
        "DROP INDEX \"T_email_key\"".to_owned(),
        "CREATE UNIQUE INDEX \"T_email_key\" ON \"T\" (\"email\") WHERE \"note\" IS NULL".to_owned(),
        "CREATE INDEX \"T_note_idx\" ON \"T\" (\"note\") WHERE \"note\" IS NOT NULL".to_owned(),
        "CREATE TRIGGER \"T_gone\" AFTER INSERT ON \"T\" BEGIN SELECT NEW.gone; END".to_owned(),
    ])
    .await
    .unwrap();
    let actual = conn.introspect().await.unwrap();
    // The partial unique index stands for the schema's `@unique`: nothing to do.
    assert_eq!(diff(&actual, &v1), Vec::new());

    // `note` renamed and `gone` dropped, with a new default that rebuilds the table.
    let v2 = parse("model T {\n  id    Int     @id\n  email String  @unique @default(\"\")\n  memo  String?\n}\n");
    let renames = [orm_codegen::Rename::Column { table: "T".into(), from: "note".into(), to: "memo".into() }];
    let steps = orm_codegen::diff_with_renames(&actual, &v2, &renames);
    let findings: Vec<String> = orm_codegen::checks::checks(&steps, dialect).iter().map(|c| c.describe(1)).collect();
    assert!(findings.iter().any(|f| f.contains("dropping the trigger `T_gone` of `T`, made by hand")), "{findings:#?}");
    let script = render_script(&steps, dialect).unwrap();
    assert!(!script.contains("T_gone"), "{script}");
    assert!(script.contains("WHERE \"memo\" IS NULL") && script.contains("WHERE \"memo\" IS NOT NULL"), "{script}");
    let down = orm_codegen::render_down_with_renames(&actual, &v2, &renames, dialect).unwrap();
    conn.execute_all(&render(&steps, dialect).unwrap()).await.unwrap_or_else(|e| panic!("{e}\n{script}"));
    conn.execute("INSERT INTO \"T\" (\"id\", \"email\") VALUES (1, 'a')").await.expect("inserts still work");
    let after = conn.introspect().await.unwrap();
    let mut kept: Vec<&str> = after.table("T").unwrap().unmanaged.iter().map(|u| u.name.as_str()).collect();
    kept.sort();
    assert_eq!(kept, ["T_email_key", "T_note_idx"]);
    assert_eq!(diff(&after, &v2), Vec::new());
    // The way down makes the partial indexes again too.
    assert!(down.contains("WHERE \"note\" IS NULL"), "{down}");
    conn.close().await;
}
