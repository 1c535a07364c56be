//! `migrate dev`'s questions, answered by a script: a rename confirmed keeps the values, a
//! rename declined is a drop that needs a yes, and drift is reset only on a yes. SQLite (the
//! CLI tests run the non-interactive paths on every backend).

use std::collections::VecDeque;

use orm_migrate::{Ask, DevOptions, DevOutcome, Error, Migrator, Project};

/// Answers yes/no questions in order, recording them.
struct Script {
    answers: VecDeque<bool>,
    asked: Vec<String>,
}

impl Ask for Script {
    fn interactive(&self) -> bool {
        true
    }
    fn confirm(&mut self, question: &str) -> bool {
        self.asked.push(question.to_owned());
        self.answers.pop_front().unwrap_or(false)
    }
    fn text(&mut self, _: &str) -> Option<String> {
        Some("from the prompt".to_owned())
    }
}

fn project(dir: &std::path::Path, models: &str) -> Project {
    let text = format!("datasource db {{\n  provider = \"sqlite\"\n  url      = \"file:./dev.db\"\n}}\n\n{models}");
    let path = dir.join("schema.orm");
    std::fs::write(&path, &text).unwrap();
    let checked = orm_schema::check_str(&text);
    assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
    Project::new(checked.schema, &path).unwrap()
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut m = Migrator::connect(url).await.unwrap();
    let n = m.count(sql, &[]).await.unwrap();
    m.close().await.unwrap();
    n
}

#[tokio::test]
async fn questions_decide_renames_data_loss_and_resets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("dev.db").display());
    let script = |answers: &[bool]| Script { answers: answers.iter().copied().collect(), asked: Vec::new() };

    let v1 = project(dir.path(), "model User {\n  id   Int     @id\n  name String?\n}\n");
    let created = orm_migrate::dev(&v1, &DevOptions::default(), &mut script(&[])).await.unwrap();
    assert!(matches!(&created, DevOutcome::Created { migration, .. } if migration.ends_with("_from_the_prompt")));
    let mut m = Migrator::connect(&url).await.unwrap();
    m.execute_script("rows", "INSERT INTO \"User\" VALUES (1, 'Ann')").await.unwrap();
    m.close().await.unwrap();

    // Declining the rename makes it a drop, which is then asked about; no to both: nothing.
    let v2 = project(dir.path(), "model User {\n  id       Int     @id\n  fullName String?\n}\n");
    let mut s = script(&[false, false]);
    let refused = orm_migrate::dev(&v2, &DevOptions::default(), &mut s).await.unwrap_err();
    assert!(matches!(refused, Error::DataLoss { .. }), "{refused}");
    assert_eq!(s.asked[0], "Did you rename `User.name` to `User.fullName`?");
    assert!(s.asked[1].contains("dropping column `name` of `User`, which has 1 non-null value(s)"), "{:?}", s.asked);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM \"User\" WHERE \"name\" = 'Ann'").await, 1);

    // Confirming it renames: the value stays.
    let mut s = script(&[true]);
    orm_migrate::dev(&v2, &DevOptions::default(), &mut s).await.unwrap();
    assert_eq!(s.asked.len(), 1, "{:?}", s.asked);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM \"User\" WHERE \"fullName\" = 'Ann'").await, 1);

    // Drift: explained, kept on a no, reset on a yes.
    let mut m = Migrator::connect(&url).await.unwrap();
    m.execute_script("by hand", "CREATE TABLE \"Extra\" (\"id\" INTEGER PRIMARY KEY)").await.unwrap();
    m.close().await.unwrap();
    let mut s = script(&[false]);
    let drift = orm_migrate::dev(&v2, &DevOptions::default(), &mut s).await.unwrap_err();
    assert!(matches!(&drift, Error::Drift { changes } if changes == &["create table `Extra`"]), "{drift}");
    assert_eq!(count(&url, "SELECT COUNT(*) FROM \"User\"").await, 1);
    let mut s = script(&[true]);
    let outcome = orm_migrate::dev(&v2, &DevOptions::default(), &mut s).await.unwrap();
    assert!(matches!(outcome, DevOutcome::NoChanges { .. }), "{outcome:?}");
    assert_eq!(count(&url, "SELECT COUNT(*) FROM \"User\"").await, 0, "the reset emptied the database");
}
