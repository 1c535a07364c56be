//! The generated client end to end: every operation of the client on SQLite, PostgreSQL and
//! MySQL/MariaDB, through clients that `build.rs` generated from `schema.example.orm` and
//! `schemas/kitchen.orm`. Each test gets a fresh database (see `orm_tests::scratch`).

mod example {
    orm_runtime::include_client!("example");
}
mod kitchen {
    orm_runtime::include_client!("kitchen");
}

use orm_runtime::chrono::{TimeZone, Utc};
use orm_runtime::rust_decimal::Decimal;
use orm_runtime::{CreateExt, Dialect, Error, IsolationLevel};
use orm_tests::scratch::ScratchDb;

use example::{Client, PostStatus, Role, comment, post, profile, tag, user};

const EXAMPLE: &str = include_str!("../../schema.example.orm");
const KITCHEN: &str = include_str!("../schemas/kitchen.orm");

/// A client on a fresh database holding `schema`'s tables; `None` when the backend is off.
async fn setup(dialect: Dialect, schema: &str) -> Option<(ScratchDb, orm_runtime::Db)> {
    let db = ScratchDb::create(dialect).await?;
    db.migrate(schema).await;
    let conn = orm_runtime::Db::connect(&db.url).await.unwrap_or_else(|e| panic!("connecting to {}: {e}", db.url));
    Some((db, conn))
}

/// One test per backend for each scenario.
macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Postgres).await } )* }
        mod mysql { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Mysql).await } )* }
    };
}

on_every_backend!(
    creates_and_reads_back,
    hostile_text_round_trips,
    filters_and_ordering,
    updates,
    upserts,
    deletes_and_foreign_keys,
    unique_violations_name_the_fields,
    transactions,
    create_many_of_100_000_rows,
    raw_sql,
    every_scalar_type_and_client_default,
    views_are_read_only_models,
    many_written_and_returned,
);

async fn example_client(dialect: Dialect) -> Option<(ScratchDb, Client)> {
    let (scratch, db) = setup(dialect, EXAMPLE).await?;
    Some((scratch, Client::from_db(db)))
}

async fn alice(db: &Client, email: &str) -> user::User {
    db.user().create(user::Create { email: email.into() }).data(user::name.set("Alice")).exec().await.unwrap()
}

async fn creates_and_reads_back(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let before = Utc::now() - orm_runtime::chrono::Duration::seconds(1);
    let a = alice(&db, "alice@example.com").await;
    assert!(a.id > 0);
    assert_eq!(a.email, "alice@example.com");
    assert_eq!(a.name.as_deref(), Some("Alice"));
    assert_eq!(a.role, Role::User, "the schema's default");
    assert!(a.created_at >= before && a.updated_at >= before, "{a:?}");

    let b = db
        .user()
        .create(user::Create { email: "bob@example.com".into() }.with(user::role.set(Role::Admin)))
        .exec()
        .await
        .unwrap();
    assert_eq!(b.role, Role::Admin);
    assert_eq!(b.name, None);

    assert_eq!(
        db.user().find_unique(user::UniqueWhere::Email("alice@example.com".into())).exec().await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        db.user().find_unique(user::UniqueWhere::Id(b.id)).exec().await.unwrap().map(|u| u.email),
        Some(b.email.clone())
    );
    assert_eq!(db.user().find_unique(user::UniqueWhere::Id(-1)).exec().await.unwrap(), None);
    let missing = db.user().find_unique_or_error(user::UniqueWhere::Email("nobody".into())).exec().await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { model: "User" }), "{missing:?}");
    assert_eq!(missing.to_string(), "no `User` record matches the given criterion");

    let p = db
        .post()
        .create(post::Create { title: "Hello".into(), slug: "hello".into(), body: "First".into(), author: a.id.into() })
        .data(post::price.set(Decimal::new(1999, 2)))
        .data(post::rating.set(4.5))
        .data(post::metadata.set(serde_json::json!({"tags": ["a", "b"], "n": 1})))
        .data(post::published_at.set(Utc.with_ymd_and_hms(2024, 2, 29, 12, 30, 45).unwrap()))
        .exec()
        .await
        .unwrap();
    assert_eq!(p.id.len(), 36, "a uuid() default: {}", p.id);
    assert_eq!(p.status, PostStatus::Draft);
    assert_eq!(p.views, 0);
    assert_eq!(p.price, Some(Decimal::new(1999, 2)));
    assert_eq!(p.rating, Some(4.5));
    assert_eq!(p.metadata, Some(serde_json::json!({"tags": ["a", "b"], "n": 1})));
    assert_eq!(p.published_at, Some(Utc.with_ymd_and_hms(2024, 2, 29, 12, 30, 45).unwrap()));
    let again = db.post().find_unique_or_error(post::UniqueWhere::Slug("hello".into())).exec().await.unwrap();
    assert_eq!(again, p);

    let avatar: Vec<u8> = (0..=255).collect();
    let pr = db
        .profile()
        .create(profile::Create { user: a.id.into() }.with(profile::avatar.set(avatar.clone())))
        .exec()
        .await
        .unwrap();
    assert_eq!(pr.avatar, Some(avatar));
    let c =
        db.comment().create(comment::Create { body: "Nice".into(), post: p.id.clone().into() }).exec().await.unwrap();
    assert_eq!((c.author_id, c.parent_id), (None, None));
}

async fn hostile_text_round_trips(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let nasty = [
        "O'Reilly",
        "a \"quoted\" name",
        r"back\slash \\ and \' and \n",
        "'; DROP TABLE users; --",
        "ünïcödé ✓ 日本語 🦀",
        "percent % underscore _ bang ! star * question ? [bracket]",
        "",
    ];
    for (i, text) in nasty.iter().enumerate() {
        let u = db
            .user()
            .create(user::Create { email: format!("{i}@x") })
            .data(user::name.set(*text))
            .exec()
            .await
            .unwrap();
        assert_eq!(u.name.as_deref(), Some(*text));
        let found = db.user().find_many().filter(user::name.equals(*text)).exec().await.unwrap();
        assert_eq!(found.len(), 1, "equals {text:?}");
        if !text.is_empty() {
            let found = db.user().find_many().filter(user::name.contains(*text)).exec().await.unwrap();
            assert_eq!(found.iter().map(|u| u.id).collect::<Vec<_>>(), [u.id], "contains {text:?}");
        }
    }
    let wild = db.user().find_many().filter(user::name.contains("%")).exec().await.unwrap();
    assert_eq!(wild.len(), 1, "a % in the value is not a wildcard");
    let wild = db.user().find_many().filter(user::name.contains("*")).exec().await.unwrap();
    assert_eq!(wild.len(), 1, "a * in the value is not a wildcard");
    assert_eq!(db.user().count().exec().await.unwrap(), nasty.len() as u64, "the table is still there");
}

async fn filters_and_ordering(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let a = alice(&db, "alice@example.com").await;
    let names = [("Carol", "carol@x.io"), ("dave", "dave@y.org"), ("Erin", "erin@x.io")];
    for (name, email) in names {
        db.user().create(user::Create { email: email.into() }).data(user::name.set(name)).exec().await.unwrap();
    }
    db.user().create(user::Create { email: "anon@x.io".into() }).exec().await.unwrap();

    let emails = |users: Vec<user::User>| users.into_iter().map(|u| u.email).collect::<Vec<_>>();
    let by_email = user::email.asc();
    let q = || db.user().find_many().order_by(user::email.asc());

    assert_eq!(
        emails(q().filter(user::email.ends_with("@x.io")).exec().await.unwrap()),
        ["anon@x.io", "carol@x.io", "erin@x.io"]
    );
    assert_eq!(emails(q().filter(user::email.starts_with("d")).exec().await.unwrap()), ["dave@y.org"]);
    assert_eq!(emails(q().filter(user::name.contains("ar")).exec().await.unwrap()), ["carol@x.io"]);
    // Equality follows the column's collation, so unique lookups keep their index: MySQL's
    // default collations ignore case (as its unique constraints do), the others don't.
    let carol = q().filter(user::name.equals("carol")).exec().await.unwrap();
    assert_eq!(carol.len(), usize::from(dialect == Dialect::Mysql), "equals follows the collation");
    assert!(q().filter(user::name.contains("CAR")).exec().await.unwrap().is_empty(), "contains is case-sensitive");
    assert_eq!(emails(q().filter(user::name.insensitive().contains("CAR")).exec().await.unwrap()), ["carol@x.io"]);
    assert_eq!(emails(q().filter(user::name.insensitive().equals("DAVE")).exec().await.unwrap()), ["dave@y.org"]);
    assert_eq!(emails(q().filter(user::name.insensitive().starts_with("e")).exec().await.unwrap()), ["erin@x.io"]);
    assert_eq!(emails(q().filter(user::name.is_null()).exec().await.unwrap()), ["anon@x.io"]);
    assert_eq!(q().filter(user::name.is_not_null()).exec().await.unwrap().len(), 4);
    assert_eq!(
        emails(q().filter(user::name.in_(["Carol", "Erin", "Zed"])).exec().await.unwrap()),
        ["carol@x.io", "erin@x.io"]
    );
    assert_eq!(
        q().filter(user::name.not_in(["Carol", "Erin"])).exec().await.unwrap().len(),
        2,
        "nulls match neither in nor not in"
    );
    assert!(q().filter(user::id.in_(Vec::<i32>::new())).exec().await.unwrap().is_empty());
    assert_eq!(q().filter(user::id.not_in(Vec::<i32>::new())).exec().await.unwrap().len(), 5);
    assert_eq!(emails(q().filter(user::id.equals(a.id)).exec().await.unwrap()), ["alice@example.com"]);
    assert_eq!(q().filter(user::id.not(a.id)).exec().await.unwrap().len(), 4);
    assert_eq!(q().filter(user::id.gt(a.id)).exec().await.unwrap().len(), 4);
    assert_eq!(q().filter(user::id.gte(a.id)).exec().await.unwrap().len(), 5);
    assert_eq!(q().filter(user::id.lt(a.id + 2)).exec().await.unwrap().len(), 2);
    assert_eq!(q().filter(user::id.lte(a.id)).exec().await.unwrap().len(), 1);
    assert_eq!(q().filter(user::role.equals(Role::User)).exec().await.unwrap().len(), 5);
    let either = user::email.ends_with("@y.org").or(user::name.equals("Erin"));
    assert_eq!(emails(q().filter(either).exec().await.unwrap()), ["dave@y.org", "erin@x.io"]);
    let both = user::email.ends_with("@x.io").and(!user::name.is_null());
    assert_eq!(emails(q().filter(both).exec().await.unwrap()), ["carol@x.io", "erin@x.io"]);
    assert_eq!(q().filter(orm_runtime::and([])).exec().await.unwrap().len(), 5, "an empty and is true");
    assert!(q().filter(orm_runtime::or([])).exec().await.unwrap().is_empty(), "an empty or is false");
    let two_filters = q().filter(user::email.ends_with("@x.io")).filter(user::name.starts_with("E"));
    assert_eq!(emails(two_filters.exec().await.unwrap()), ["erin@x.io"]);

    let page = db.user().find_many().order_by(by_email).skip(1).take(2).exec().await.unwrap();
    assert_eq!(emails(page), ["anon@x.io", "carol@x.io"]);
    let rest = db.user().find_many().order_by(user::email.asc()).skip(3).exec().await.unwrap();
    assert_eq!(emails(rest), ["dave@y.org", "erin@x.io"]);
    let nulls_first = db.user().find_many().order_by(user::name.asc().nulls_first()).exec().await.unwrap();
    assert_eq!(nulls_first[0].email, "anon@x.io");
    let nulls_last = db.user().find_many().order_by(user::name.desc().nulls_last()).exec().await.unwrap();
    assert_eq!(nulls_last.last().unwrap().email, "anon@x.io");
    let multi =
        db.user().find_many().order_by(user::role.asc()).order_by(user::id.desc()).take(1).exec().await.unwrap();
    assert_eq!(multi[0].email, "anon@x.io", "ties broken by the second key");

    let first = db
        .user()
        .find_first()
        .filter(user::email.ends_with("@x.io"))
        .order_by(user::email.desc())
        .exec()
        .await
        .unwrap();
    assert_eq!(first.map(|u| u.email).as_deref(), Some("erin@x.io"));
    assert_eq!(db.user().find_first().filter(user::email.equals("none")).exec().await.unwrap(), None);
    assert_eq!(db.user().count().exec().await.unwrap(), 5);
    assert_eq!(db.user().count().filter(user::email.ends_with("@x.io")).exec().await.unwrap(), 3);
}

async fn new_post(db: &Client, author: i32, slug: &str) -> post::Post {
    db.post()
        .create(post::Create {
            title: slug.to_uppercase(),
            slug: slug.into(),
            body: String::new(),
            author: author.into(),
        })
        .exec()
        .await
        .unwrap()
}

async fn updates(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let a = alice(&db, "alice@example.com").await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let renamed = db.user().update(user::UniqueWhere::Id(a.id)).data(user::name.set("Alicia")).exec().await.unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Alicia"));
    assert!(renamed.updated_at > a.updated_at, "@updatedAt moves on every update");
    assert_eq!(renamed.created_at, a.created_at);
    let cleared =
        db.user().update(user::UniqueWhere::Email(a.email.clone())).data(user::name.set_null()).exec().await.unwrap();
    assert_eq!(cleared.name, None);
    let moved =
        db.user().update(user::UniqueWhere::Id(a.id)).data(user::email.set("new@example.com")).exec().await.unwrap();
    assert_eq!(moved.email, "new@example.com", "a unique field itself can change");
    let missing = db.user().update(user::UniqueWhere::Id(-5)).data(user::name.set("x")).exec().await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");

    for slug in ["a", "b", "c"] {
        new_post(&db, a.id, slug).await;
    }
    let n = db.post().update_many().data(post::views.increment(10)).exec().await.unwrap();
    assert_eq!(n, 3);
    let n =
        db.post().update_many().filter(post::slug.in_(["a", "b"])).data(post::views.multiply(3)).exec().await.unwrap();
    assert_eq!(n, 2);
    db.post().update_many().filter(post::slug.equals("a")).data(post::views.decrement(5)).exec().await.unwrap();
    db.post().update_many().filter(post::slug.equals("b")).data(post::views.divide(2)).exec().await.unwrap();
    let views: Vec<(String, i64)> = db
        .post()
        .find_many()
        .order_by(post::slug.asc())
        .exec()
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.slug, p.views))
        .collect();
    assert_eq!(views, [("a".into(), 25), ("b".into(), 15), ("c".into(), 10)]);
    let p = db
        .post()
        .update(post::UniqueWhere::Slug("c".into()))
        .data(post::status.set(PostStatus::Published))
        .data(post::views.increment(1))
        .exec()
        .await
        .unwrap();
    assert_eq!((p.status, p.views), (PostStatus::Published, 11));
    assert_eq!(
        db.post().update_many().filter(post::slug.equals("zzz")).data(post::views.increment(1)).exec().await.unwrap(),
        0
    );
}

async fn upserts(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let create = || user::Create { email: "u@example.com".into() }.with(user::name.set("Created"));
    let first = db
        .user()
        .upsert(user::UniqueWhere::Email("u@example.com".into()), create())
        .update(user::name.set("Updated"))
        .exec()
        .await
        .unwrap();
    assert_eq!(first.name.as_deref(), Some("Created"));
    let second = db
        .user()
        .upsert(user::UniqueWhere::Email("u@example.com".into()), create())
        .update(user::name.set("Updated"))
        .exec()
        .await
        .unwrap();
    assert_eq!((second.id, second.name.as_deref()), (first.id, Some("Updated")));
    let third = db.user().upsert(user::UniqueWhere::Email("u@example.com".into()), create()).exec().await.unwrap();
    assert_eq!(
        (third.id, third.name.as_deref()),
        (first.id, Some("Updated")),
        "no update data leaves the row as it is"
    );
    assert_eq!(db.user().count().exec().await.unwrap(), 1);

    let p = new_post(&db, first.id, "s").await;
    let bump = || {
        db.post()
            .upsert(
                post::UniqueWhere::Slug("s".into()),
                post::Create { title: "t".into(), slug: "s".into(), body: String::new(), author: first.id.into() },
            )
            .update(post::views.increment(1))
    };
    bump().exec().await.unwrap();
    let after = bump().exec().await.unwrap();
    assert_eq!((after.id, after.views), (p.id, 2), "increments read the existing row");
}

async fn deletes_and_foreign_keys(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let a = alice(&db, "alice@example.com").await;
    let p = new_post(&db, a.id, "p").await;
    db.comment().create(comment::Create { body: "c".into(), post: p.id.clone().into() }).exec().await.unwrap();

    let orphan = db
        .post()
        .create(post::Create { title: "x".into(), slug: "x".into(), body: String::new(), author: 999_999.into() })
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(orphan, Error::ForeignKeyViolation { model: "Post", .. }), "{orphan:?}");
    let restricted = db.user().delete(user::UniqueWhere::Id(a.id)).exec().await.unwrap_err();
    assert!(matches!(restricted, Error::ForeignKeyViolation { model: "User", .. }), "{restricted:?}");
    assert_eq!(db.user().count().exec().await.unwrap(), 1, "nothing was deleted");

    let deleted = db.post().delete(post::UniqueWhere::Id(p.id.clone())).exec().await.unwrap();
    assert_eq!(deleted.slug, "p");
    assert_eq!(db.comment().count().exec().await.unwrap(), 0, "comments cascade");
    let again = db.post().delete(post::UniqueWhere::Id(p.id)).exec().await.unwrap_err();
    assert!(matches!(again, Error::NotFound { model: "Post" }), "{again:?}");

    for name in ["t1", "t2", "x3"] {
        db.tag().create(tag::Create { name: name.into() }).exec().await.unwrap();
    }
    assert_eq!(db.tag().delete_many().filter(tag::name.starts_with("t")).exec().await.unwrap(), 2);
    assert_eq!(db.tag().delete_many().exec().await.unwrap(), 1);
}

async fn unique_violations_name_the_fields(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    alice(&db, "same@example.com").await;
    let e = db.user().create(user::Create { email: "same@example.com".into() }).exec().await.unwrap_err();
    match &e {
        Error::UniqueViolation { model, fields, .. } => {
            assert_eq!((*model, fields.as_slice()), ("User", &["email"][..]))
        }
        other => panic!("expected a unique violation, got {other:?}"),
    }
    assert_eq!(e.to_string(), "a `User` record with the same `email` already exists");

    let Some((_scratch2, kdb)) = setup(dialect, KITCHEN).await else { return };
    let k = kitchen::Client::from_db(kdb);
    let acct = |handle: &str| kitchen::account::Create { handle: handle.into(), tenant: 1, number: 7 };
    k.account().create(acct("one")).exec().await.unwrap();
    let e = k.account().create(acct("two")).exec().await.unwrap_err();
    match &e {
        Error::UniqueViolation { fields, .. } => assert_eq!(fields, &["tenant", "number"]),
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

async fn transactions(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let committed: Result<i32, Error> = db
        .transaction(|tx| async move {
            let u = alice(&tx, "in-tx@example.com").await;
            new_post(&tx, u.id, "tx-post").await;
            Ok(u.id)
        })
        .await;
    let id = committed.unwrap();
    assert_eq!(db.post().count().exec().await.unwrap(), 1);

    let failed: Result<(), Error> = db
        .transaction(|tx| async move {
            tx.user().update(user::UniqueWhere::Id(id)).data(user::name.set("Changed")).exec().await?;
            tx.user().create(user::Create { email: "in-tx@example.com".into() }).exec().await?;
            Ok(())
        })
        .await;
    assert!(matches!(failed, Err(Error::UniqueViolation { .. })), "{failed:?}");
    let u = db.user().find_unique_or_error(user::UniqueWhere::Id(id)).exec().await.unwrap();
    assert_eq!(u.name.as_deref(), Some("Alice"), "the update was rolled back");

    let db2 = db.clone();
    let panicked = tokio::spawn(async move {
        let _: Result<(), Error> = db2
            .transaction(|tx| async move {
                tx.user().create(user::Create { email: "panic@example.com".into() }).exec().await?;
                panic!("the application fails half way");
            })
            .await;
    })
    .await;
    assert!(panicked.is_err(), "the panic reaches the caller");
    assert_eq!(db.user().count().exec().await.unwrap(), 1, "the panicking transaction was rolled back");

    let serial: Result<u64, Error> =
        db.transaction_with(IsolationLevel::Serializable, |tx| async move { tx.user().count().exec().await }).await;
    assert_eq!(serial.unwrap(), 1);
    let nested: Result<(), Error> =
        db.transaction(|tx| async move { tx.transaction(|_| async { Ok(()) }).await }).await;
    assert!(matches!(nested, Err(Error::Validation(_))), "{nested:?}");
}

async fn create_many_of_100_000_rows(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let rows = (0..100_000).map(|i| tag::Create { name: format!("tag-{i}") });
    assert_eq!(db.tag().create_many(rows).exec().await.unwrap(), 100_000);
    assert_eq!(db.tag().count().exec().await.unwrap(), 100_000);
    let last = db.tag().find_unique(tag::UniqueWhere::Name("tag-99999".into())).exec().await.unwrap();
    assert!(last.is_some());

    let again = (99_990..100_010).map(|i| tag::Create { name: format!("tag-{i}") });
    let e = db.tag().create_many(again.clone()).exec().await.unwrap_err();
    assert!(matches!(e, Error::UniqueViolation { .. }), "{e:?}");
    assert_eq!(db.tag().count().exec().await.unwrap(), 100_000, "a failed create_many inserts nothing");
    assert_eq!(db.tag().create_many(again).skip_duplicates().exec().await.unwrap(), 10);
    assert_eq!(db.tag().count().exec().await.unwrap(), 100_010);
}

async fn raw_sql(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    alice(&db, "alice@example.com").await;
    let sql = match dialect {
        Dialect::Postgres => "SELECT email, CAST(id AS BIGINT) FROM users WHERE email = $1 AND id > $2",
        _ => "SELECT email, CAST(id AS SIGNED) FROM users WHERE email = ? AND id > ?",
    };
    let sql = if dialect == Dialect::Sqlite { sql.replace("SIGNED", "INTEGER") } else { sql.to_owned() };
    let rows: Vec<(String, i64)> = db.raw(sql).bind("alice@example.com".to_owned()).bind(0).fetch_all().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "alice@example.com");
    let update = match dialect {
        Dialect::Postgres => "UPDATE users SET name = $1",
        _ => "UPDATE users SET name = ?",
    };
    assert_eq!(db.raw(update).bind("it's \"raw\"".to_owned()).execute().await.unwrap(), 1);
    let u = db.user().find_first().exec().await.unwrap().unwrap();
    assert_eq!(u.name.as_deref(), Some("it's \"raw\""));
}

async fn every_scalar_type_and_client_default(dialect: Dialect) {
    use kitchen::{Level, account, membership, sample};
    let Some((_scratch, db)) = setup(dialect, KITCHEN).await else { return };
    let k = kitchen::Client::from_db(db);
    let at = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap() + orm_runtime::chrono::Duration::milliseconds(123);
    let s = k
        .sample()
        .create(sample::Create { int: -7, text: "t".into() })
        .data(sample::big.set(9_007_199_254_740_993_i64))
        .data(sample::float.set(-0.5))
        .data(sample::dec.set(Decimal::new(-123_456_789, 4)))
        .data(sample::flag.set(true))
        .data(sample::at.set(at))
        .data(sample::json.set(serde_json::json!({"quote": "it's", "nested": [1, {"a": null}]})))
        .data(sample::bytes.set(vec![0u8, 1, 2, 255]))
        .data(sample::level.set(Level::Mid))
        .data(sample::maybe.set(Level::High))
        .data(sample::r#type.set("keyword"))
        .data(sample::created_at.set(at))
        .exec()
        .await
        .unwrap();
    assert_eq!(s.id.len(), 25, "cuid(): {}", s.id);
    assert!(s.id.starts_with('c'));
    assert_eq!((s.int, s.big, s.float, s.flag), (-7, 9_007_199_254_740_993, Some(-0.5), true));
    assert_eq!(s.dec, Some(Decimal::new(-123_456_789, 4)));
    assert_eq!(s.at, Some(at), "milliseconds survive");
    assert_eq!(s.json, Some(serde_json::json!({"quote": "it's", "nested": [1, {"a": null}]})));
    let same_json = sample::json.equals(serde_json::json!({"quote": "it's", "nested": [1, {"a": null}]}));
    assert_eq!(k.sample().count().filter(same_json).exec().await.unwrap(), 1, "JSON equality");
    let other_json = sample::json.equals(serde_json::json!({"quote": "it's"}));
    assert_eq!(k.sample().count().filter(other_json).exec().await.unwrap(), 0);
    assert_eq!(s.bytes, Some(vec![0, 1, 2, 255]));
    assert_eq!((s.level, s.maybe), (Level::Mid, Some(Level::High)));
    assert_eq!(s.r#type.as_deref(), Some("keyword"));
    assert_eq!(s.created_at, Some(at));
    assert!(s.createdAt > at);
    let read = k.sample().find_unique_or_error(sample::UniqueWhere::Id(s.id.clone())).exec().await.unwrap();
    assert_eq!(read, s);
    let by_enum = k
        .sample()
        .find_many()
        .filter(sample::level.equals(Level::Mid))
        .filter(sample::maybe.in_([Level::High]))
        .exec()
        .await
        .unwrap();
    assert_eq!(by_enum.len(), 1);
    assert_eq!(serde_json::to_value(Level::Mid).unwrap(), serde_json::json!("MID"), "serde uses the schema's names");

    let a = k.account().create(account::Create { handle: "h 1".into(), tenant: 2, number: 3 }).exec().await.unwrap();
    assert_eq!(a.id.len(), 36);
    assert_eq!(&a.uid7[14..15], "7", "uuid(7): {}", a.uid7);
    assert_eq!(a.nano.len(), 10);
    assert_eq!(a.ulid.len(), 26);
    assert!(!a.cuid2.is_empty());
    let by_compound =
        k.account().find_unique(account::UniqueWhere::TenantNumber { tenant: 2, number: 3 }).exec().await.unwrap();
    assert_eq!(by_compound.map(|x| x.id), Some(a.id.clone()));

    let m = k.membership().create(membership::Create { group_id: 1, user_id: 2 }).exec().await.unwrap();
    assert_eq!(m.role, "member", "a database default");
    let found = k
        .membership()
        .find_unique(membership::UniqueWhere::GroupIdUserId { group_id: 1, user_id: 2 })
        .exec()
        .await
        .unwrap();
    assert_eq!(found, Some(m));
    let changed = k
        .membership()
        .update(membership::UniqueWhere::GroupIdUserId { group_id: 1, user_id: 2 })
        .data(membership::user_id.set(3))
        .exec()
        .await
        .unwrap();
    assert_eq!(changed.user_id, 3, "a primary key can change");
}

async fn views_are_read_only_models(dialect: Dialect) {
    use kitchen::{Level, sample, sample_level};
    let Some((_scratch, db)) = setup(dialect, KITCHEN).await else { return };
    let q = |name: &str| dialect.quote_identifier(name);
    let create_view = format!(
        "CREATE VIEW {} AS SELECT {}, {}, {} FROM {}",
        q("SampleLevel"),
        q("id"),
        q("level"),
        q("text"),
        q("Sample")
    );
    db.raw(create_view).execute().await.unwrap();
    let k = kitchen::Client::from_db(db);
    for (int, text, level) in [(1, "one", Level::Low), (2, "two", Level::High), (3, "three", Level::High)] {
        k.sample()
            .create(sample::Create { int, text: text.into() })
            .data(sample::level.set(level))
            .exec()
            .await
            .unwrap();
    }
    let high = k
        .sample_level()
        .find_many()
        .filter(sample_level::level.equals(Level::High))
        .order_by(sample_level::text.asc())
        .exec()
        .await
        .unwrap();
    assert_eq!(high.iter().map(|v| v.text.as_str()).collect::<Vec<_>>(), ["three", "two"]);
    let one = k.sample_level().find_unique(sample_level::UniqueWhere::Id(high[0].id.clone())).exec().await.unwrap();
    assert_eq!(one.map(|v| v.level), Some(Level::High));
    assert_eq!(k.sample_level().count().exec().await.unwrap(), 3);
    let groups = k.sample_level().group_by((sample_level::level,)).count().order_by(sample_level::level.asc()).exec();
    assert_eq!(groups.await.unwrap().len(), 2);
}

/// `create_many_and_return` and `update_many_and_return` give back the rows written, in the
/// order given, on every backend (MySQL reads them back by key in the same transaction):
/// autoincrement ids, client-generated uuids and composite keys.
async fn many_written_and_returned(dialect: Dialect) {
    let Some((_scratch, db)) = example_client(dialect).await else { return };
    let emails: Vec<String> = (0..2_000).map(|i| format!("{:04}@x.io", 2_000 - i)).collect();
    let users = db
        .user()
        .create_many_and_return(emails.iter().map(|e| user::Create { email: e.clone() }))
        .exec()
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| &u.email).collect::<Vec<_>>(),
        emails.iter().collect::<Vec<_>>(),
        "in the order given"
    );
    let stored = db.user().find_many().order_by(user::email.desc()).exec().await.unwrap();
    assert_eq!(users, stored, "each returned record is the stored one, its generated id included");

    let author = users[0].id;
    let posts = db
        .post()
        .create_many_and_return((0..3).map(|i| post::Create {
            title: format!("T{i}"),
            slug: format!("s{i}"),
            body: "b".into(),
            author: author.into(),
        }))
        .exec()
        .await
        .unwrap();
    assert_eq!(posts.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["s0", "s1", "s2"]);
    assert!(posts.iter().all(|p| p.id.len() == 36 && p.views == 0), "client-side uuid() and database defaults");

    // A duplicate anywhere leaves nothing written.
    let clash = ["new1", "s1"].map(|slug| post::Create {
        title: "x".into(),
        slug: slug.into(),
        body: "b".into(),
        author: author.into(),
    });
    let e = db.post().create_many_and_return(clash.clone()).exec().await.unwrap_err();
    assert!(matches!(e, Error::UniqueViolation { .. }), "{e:?}");
    assert_eq!(db.post().count().exec().await.unwrap(), 3);
    let skipped = db.post().create_many_and_return(clash).skip_duplicates().exec().await;
    match dialect {
        Dialect::Mysql => assert!(matches!(skipped, Err(Error::Validation(_))), "{skipped:?}"),
        _ => assert_eq!(skipped.unwrap().iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["new1"]),
    }

    let mut updated = db
        .post()
        .update_many_and_return()
        .filter(post::slug.starts_with("s"))
        .data(post::title.set("Renamed"))
        .data(post::views.increment(5_i64))
        .exec()
        .await
        .unwrap();
    updated.sort_by(|a, b| a.slug.cmp(&b.slug));
    assert_eq!(updated.len(), 3);
    assert!(updated.iter().all(|p| p.title == "Renamed" && p.views == 5), "{updated:?}");
    let again = db.post().find_unique_or_error(post::UniqueWhere::Slug("s1".into())).exec().await.unwrap();
    assert_eq!(&again, updated.iter().find(|p| p.slug == "s1").unwrap());
    let none = db.post().update_many_and_return().filter(post::slug.equals("nope")).data(post::title.set("x"));
    assert!(none.exec().await.unwrap().is_empty());

    // A composite primary key the client knows.
    let Some((_scratch2, kdb)) = setup(dialect, KITCHEN).await else { return };
    let k = kitchen::Client::from_db(kdb);
    let members = k
        .membership()
        .create_many_and_return(
            [(2, 1), (1, 2), (1, 1)].map(|(g, u)| kitchen::membership::Create { group_id: g, user_id: u }),
        )
        .exec()
        .await
        .unwrap();
    assert_eq!(members.iter().map(|m| (m.group_id, m.user_id)).collect::<Vec<_>>(), [(2, 1), (1, 2), (1, 1)]);
    assert!(members.iter().all(|m| m.role == "member"), "the database default, read back");
    let promoted = k
        .membership()
        .update_many_and_return()
        .filter(kitchen::membership::group_id.equals(1))
        .data(kitchen::membership::role.set("admin"))
        .exec()
        .await
        .unwrap();
    assert_eq!(promoted.len(), 2);
    assert!(promoted.iter().all(|m| m.group_id == 1 && m.role == "admin"));
}
