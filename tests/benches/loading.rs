//! How to load a relation: one statement per level against one statement that aggregates each
//! parent's children into JSON (Prisma's `relationJoins`), both hand-written in raw sqlx,
//! beside the generated client's `include` (inline JSON on SQLite, per level elsewhere) and
//! the client reading the parents alone, on every configured backend (SQLite always;
//! PostgreSQL and MariaDB when `ORM_TEST_POSTGRES_URL` / `ORM_TEST_MYSQL_URL` are set). The
//! numbers and the choice they led to are in ARCHITECTURE.md ("Loading related records").
//!
//! `cargo bench -p orm-tests --bench loading`

use std::collections::HashMap;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use orm_runtime::Dialect;
use orm_tests::scratch::ScratchDb;

mod example {
    orm_runtime::include_client!("example");
}
use example::{Client, post, user};

const EXAMPLE: &str = include_str!("../../schema.example.orm");

/// The post columns both raw strategies read.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Post {
    id: String,
    title: String,
    slug: String,
    body: String,
    views: i64,
    #[serde(rename = "authorId")]
    author_id: i32,
}

struct Fixture {
    _scratch: ScratchDb,
    dialect: Dialect,
    client: Client,
    url: String,
}

/// `users` users with `posts` posts each.
async fn fixture(dialect: Dialect, users: usize, posts: usize) -> Option<Fixture> {
    let scratch = ScratchDb::create(dialect).await?;
    scratch.migrate(EXAMPLE).await;
    let client = Client::connect(&scratch.url).await.unwrap();
    client.user().create_many((0..users).map(|u| user::Create { email: format!("u{u}@x.io") })).exec().await.unwrap();
    let ids: Vec<i32> =
        client.user().find_many().select((user::id,)).exec().await.unwrap().into_iter().map(|(i,)| i).collect();
    let rows = ids.iter().flat_map(|&author_id| {
        (0..posts).map(move |p| post::Create {
            title: format!("Post {p} by {author_id}"),
            slug: format!("p{author_id}-{p}"),
            body: "Lorem ipsum dolor sit amet, consectetur adipiscing elit.".repeat(3),
            author: author_id.into(),
        })
    });
    client.post().create_many(rows.collect::<Vec<_>>()).exec().await.unwrap();
    let url = scratch.url.clone();
    Some(Fixture { _scratch: scratch, dialect, client, url })
}

fn json_sql(dialect: Dialect, limit: usize) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "SELECT u.id, u.email, (SELECT json_group_array(json_object('id', p.id, 'title', p.title, 'slug', p.slug, \
             'body', p.body, 'views', p.views, 'authorId', p.\"authorId\")) FROM \"Post\" p WHERE p.\"authorId\" = u.id) \
             FROM users u ORDER BY u.id LIMIT {limit}"
        ),
        Dialect::Postgres => format!(
            "SELECT u.id, u.email, COALESCE((SELECT json_agg(json_build_object('id', p.id, 'title', p.title, 'slug', \
             p.slug, 'body', p.body, 'views', p.views, 'authorId', p.\"authorId\")) FROM \"Post\" p WHERE p.\"authorId\" = \
             u.id), '[]')::text FROM users u ORDER BY u.id LIMIT {limit}"
        ),
        Dialect::Mysql => format!(
            "SELECT u.id, u.email, CAST(COALESCE((SELECT JSON_ARRAYAGG(JSON_OBJECT('id', p.id, 'title', p.title, 'slug', \
             p.slug, 'body', p.body, 'views', p.views, 'authorId', p.authorId)) FROM Post p WHERE p.authorId = u.id), \
             JSON_ARRAY()) AS CHAR) FROM users u ORDER BY u.id LIMIT {limit}"
        ),
    }
}

const POSTS: &str = "SELECT id, title, slug, body, views, \"authorId\" FROM \"Post\" WHERE \"authorId\"";

type PostRow = (String, String, String, String, i64, i32);

fn stitch(users: Vec<(i32, String)>, posts: Vec<PostRow>) -> Vec<(i32, String, Vec<Post>)> {
    let mut groups: HashMap<i32, Vec<Post>> = HashMap::new();
    for (id, title, slug, body, views, author_id) in posts {
        let p = Post { id, title, slug, body, views, author_id };
        groups.entry(p.author_id).or_default().push(p);
    }
    users.into_iter().map(|(id, email)| (id, email, groups.remove(&id).unwrap_or_default())).collect()
}

fn decode_json(rows: Vec<(i32, String, String)>) -> Vec<(i32, String, Vec<Post>)> {
    rows.into_iter().map(|(id, email, json)| (id, email, serde_json::from_str(&json).unwrap())).collect()
}

/// The two raw strategies on one driver's pool, as `(per_level, json)` functions; `$mysql`
/// quotes the per-level statement with backticks.
macro_rules! raw {
    ($pool:ty, $mysql:expr) => {{
        async fn per_level(pool: &$pool, limit: usize) -> Vec<(i32, String, Vec<Post>)> {
            let users: Vec<(i32, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, email FROM users ORDER BY id LIMIT {limit}")))
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let marks = vec!["?"; users.len()].join(", ");
            let mut sql = format!("{POSTS} IN ({marks})");
            if $mysql {
                sql = sql.replace('"', "`");
            }
            let mut q = sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(sql));
            for (id, _) in &users {
                q = q.bind(*id);
            }
            let posts = q.fetch_all(pool).await.unwrap();
            stitch(users, posts)
        }
        async fn json(pool: &$pool, sql: &str) -> Vec<(i32, String, Vec<Post>)> {
            decode_json(sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(pool).await.unwrap())
        }
        (per_level, json)
    }};
}

fn loading(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut group = c.benchmark_group("include");
    group.sample_size(30);
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let Some(f) = rt.block_on(fixture(dialect, 1_000, 10)) else { continue };
        let name = format!("{dialect:?}").to_lowercase();
        for parents in [1usize, 20, 500] {
            let id = |what: &str| BenchmarkId::new(format!("{name}/{what}"), parents);
            let sql = json_sql(f.dialect, parents);
            let include = || {
                f.client.user().find_many().order_by(user::id.asc()).take(parents as u64).include(user::posts).exec()
            };
            group.bench_function(id("orm_include"), |b| b.iter(|| rt.block_on(include()).unwrap()));
            // The parents alone: what the include adds is the difference.
            let plain = || f.client.user().find_many().order_by(user::id.asc()).take(parents as u64).exec();
            group.bench_function(id("orm_plain"), |b| b.iter(|| rt.block_on(plain()).unwrap()));
            match dialect {
                Dialect::Sqlite => {
                    let pool = rt.block_on(sqlx::SqlitePool::connect(&f.url)).unwrap();
                    let (per_level, json) = raw!(sqlx::SqlitePool, false);
                    group.bench_function(id("raw_per_level"), |b| b.iter(|| rt.block_on(per_level(&pool, parents))));
                    group.bench_function(id("raw_json"), |b| b.iter(|| rt.block_on(json(&pool, &sql))));
                }
                Dialect::Postgres => {
                    let pool = rt.block_on(sqlx::PgPool::connect(&f.url)).unwrap();
                    // PostgreSQL's own form: the keys as one array.
                    async fn per_level(pool: &sqlx::PgPool, limit: usize) -> Vec<(i32, String, Vec<Post>)> {
                        let users: Vec<(i32, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                            "SELECT id, email FROM users ORDER BY id LIMIT {limit}"
                        )))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                        let ids: Vec<i32> = users.iter().map(|u| u.0).collect();
                        let posts = sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(format!("{POSTS} = ANY($1)")))
                            .bind(ids)
                            .fetch_all(pool)
                            .await
                            .unwrap();
                        stitch(users, posts)
                    }
                    let (_, json) = raw!(sqlx::PgPool, false);
                    group.bench_function(id("raw_per_level"), |b| b.iter(|| rt.block_on(per_level(&pool, parents))));
                    group.bench_function(id("raw_json"), |b| b.iter(|| rt.block_on(json(&pool, &sql))));
                }
                Dialect::Mysql => {
                    let pool = rt.block_on(sqlx::MySqlPool::connect(&f.url)).unwrap();
                    let (per_level, json) = raw!(sqlx::MySqlPool, true);
                    group.bench_function(id("raw_per_level"), |b| b.iter(|| rt.block_on(per_level(&pool, parents))));
                    group.bench_function(id("raw_json"), |b| b.iter(|| rt.block_on(json(&pool, &sql))));
                }
            }
        }
    }
    group.finish();
}

criterion_group!(benches, loading);
criterion_main!(benches);
