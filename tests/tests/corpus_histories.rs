//! Real projects' migration histories, written by Prisma, applied by `orm migrate deploy` on
//! their own backends. A project whose whole history the corpus keeps is then diffed against
//! its schema: nothing may be left to do but what Prisma itself would do. The others keep their first three migrations (and
//! their last two, which can't run without the ones between): those three, the oldest part of
//! a real history, must apply in order.

use orm_codegen::{Step, db_schema, diff, render};
use orm_db_schema::Dialect;
use orm_runtime::migrate::{MigrationState, MigrationsDir, Migrator};
use orm_tests::connection::Conn;
use orm_tests::scratch::ScratchDb;

/// Projects whose whole migration history is in the corpus.
const FULL: &[&str] = &["redwoodjs__example-blog"];

/// Projects with the first three migrations of their history, by backend.
const FIRST_THREE: &[(&str, Dialect)] = &[
    ("documenso__documenso", Dialect::Postgres),
    ("formbricks__formbricks", Dialect::Postgres),
    ("hoppscotch__hoppscotch", Dialect::Postgres),
    ("langfuse__langfuse", Dialect::Postgres),
    ("lukevella__rallly", Dialect::Postgres),
    ("mfts__papermark", Dialect::Postgres),
    ("webstudio-is__webstudio", Dialect::Postgres),
    ("umami-software__umami", Dialect::Mysql),
];

fn migrations(project: &str) -> Vec<orm_runtime::migrate::Migration> {
    let dir = MigrationsDir::new(orm_tests::corpus_dir().join(project).join("migrations"));
    let all = dir.migrations().unwrap_or_else(|e| panic!("{project}: {e}"));
    assert!(!all.is_empty(), "{project} has no migrations in the corpus");
    all
}

#[tokio::test]
async fn a_whole_prisma_history_deploys_and_leaves_nothing_to_do() {
    for project in FULL {
        let schema_text = std::fs::read_to_string(orm_tests::corpus_dir().join(project).join("schema.prisma")).unwrap();
        let checked = orm_schema::check_str(&schema_text);
        assert!(!checked.has_errors(), "{project}: {:?}", checked.sorted_diagnostics());
        let dialect = db_schema::dialect_of(&checked.schema);
        let Some(scratch) = ScratchDb::create(dialect).await else { continue };
        let local = migrations(project);
        let mut migrator = Migrator::connect(&scratch.url).await.expect("connect");
        let applied = migrator.deploy(&local).await.unwrap_or_else(|e| panic!("{project}: {e}"));
        assert_eq!(applied.len(), local.len(), "{project}");
        let status = migrator.status(&local).await.expect("status");
        assert!(status.is_up_to_date(), "{project}: {status:?}");
        migrator.close().await.expect("close");

        // Prisma 3 renamed unique indexes (`Post.slug_unique` became `Post_slug_key`): a history
        // from before it leaves those renames to do, for Prisma as for `orm`, and nothing else.
        let target = db_schema::from_schema_for(&checked.schema, dialect);
        let mut conn = Conn::open(&scratch).await;
        let actual = conn.introspect().await.expect("introspect");
        let steps = diff(&actual, &target);
        for step in &steps {
            match step {
                Step::DropIndex { index, .. } => assert!(index.name.ends_with("_unique"), "{project}: {step:?}"),
                Step::CreateIndex { index, .. } => assert!(index.name.ends_with("_key"), "{project}: {step:?}"),
                Step::RedefineTable { .. } => {}
                other => panic!("{project}: the history leaves {}", other.describe()),
            }
        }
        let statements = render(&steps, dialect).expect("renders");
        conn.execute_all(&statements).await.unwrap_or_else(|e| panic!("{project}: {e}"));
        let after = conn.introspect().await.expect("introspect");
        conn.close().await;
        let left: Vec<String> = diff(&after, &target).iter().map(Step::describe).collect();
        assert!(left.is_empty(), "{project}: {left:#?}");
    }
}

#[tokio::test]
async fn the_oldest_migrations_of_real_histories_deploy_in_order() {
    let mut ran = 0;
    for (project, dialect) in FIRST_THREE {
        let Some(scratch) = ScratchDb::create(*dialect).await else { continue };
        let first_three: Vec<_> = migrations(project).into_iter().take(3).collect();
        let mut migrator = Migrator::connect(&scratch.url).await.expect("connect");
        let applied = migrator.deploy(&first_three).await.unwrap_or_else(|e| panic!("{project} ({dialect:?}): {e}"));
        assert_eq!(applied.len(), 3, "{project}");
        let status = migrator.status(&first_three).await.expect("status");
        assert!(status.migrations.iter().all(|m| m.state == MigrationState::Applied), "{project}: {status:?}");
        migrator.close().await.expect("close");
        ran += 1;
    }
    if std::env::var_os("ORM_TEST_POSTGRES_URL").is_some() && std::env::var_os("ORM_TEST_MYSQL_URL").is_some() {
        assert_eq!(ran, FIRST_THREE.len());
    }
}
