//! diesel_bench's workloads, run by the generated client and by what its users would pick
//! instead: raw sqlx (the best hand-written form), Diesel (sync on SQLite, diesel-async on the
//! servers) and SeaORM 2. Everything here is the same for every contender: the tables and rows
//! (written by [`Fixture`] before a workload runs), one connection, a current-thread tokio
//! runtime, statements cached. Two drivers use it: `benches/suite.rs` (criterion medians) and
//! `src/bin/instructions.rs` (client instructions per call, counted by callgrind).

pub mod diesel_peer;
pub mod orm_client;
pub mod raw_sqlx;
pub mod sea_orm_peer;

use std::fmt;

use sqlx::{AnyConnection, AssertSqlSafe, Connection as _};

/// A database server (or SQLite file) the workloads run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

impl Backend {
    pub const ALL: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }

    pub fn parse(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The server URL the tests use (`ORM_TEST_POSTGRES_URL`, `ORM_TEST_MYSQL_URL`); SQLite
    /// needs none.
    pub fn server_url(self) -> Option<String> {
        match self {
            Backend::Sqlite => Some(String::new()),
            Backend::Postgres => std::env::var("ORM_TEST_POSTGRES_URL").ok(),
            Backend::Mysql => std::env::var("ORM_TEST_MYSQL_URL").ok(),
        }
    }

    /// SQLite, and each server whose URL is set.
    pub fn configured() -> Vec<Backend> {
        Backend::ALL.into_iter().filter(|b| b.server_url().is_some()).collect()
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// diesel_bench's four workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Load every user of a table of `size` users.
    Trivial,
    /// Users with black hair (half of `size`) with their posts: a left join, or the
    /// contender's own way of loading a relation.
    Medium,
    /// Insert `size` users in one call.
    Insert,
    /// 100 users, their 10 posts each and the posts' 10 comments each, as nested data.
    Associations,
}

impl Workload {
    pub const ALL: [Workload; 4] = [Workload::Trivial, Workload::Medium, Workload::Insert, Workload::Associations];

    pub fn name(self) -> &'static str {
        match self {
            Workload::Trivial => "trivial_query",
            Workload::Medium => "medium_complex_query",
            Workload::Insert => "insert",
            Workload::Associations => "loading_associations",
        }
    }

    pub fn parse(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// diesel_bench's sizes.
    pub fn sizes(self) -> &'static [usize] {
        match self {
            Workload::Trivial | Workload::Medium => &[1, 10, 100, 1_000, 10_000],
            Workload::Insert => &[1, 10, 25, 50, 100],
            Workload::Associations => &[ASSOCIATION_USERS],
        }
    }

    /// What one call of the workload returns, as the number of records it built: the check
    /// that every contender did the same work.
    pub fn expected(self, size: usize) -> usize {
        match self {
            Workload::Trivial => size,
            Workload::Medium => size.div_ceil(2),
            Workload::Insert => size,
            Workload::Associations => size * (1 + POSTS_PER_USER * (1 + COMMENTS_PER_POST)),
        }
    }
}

pub const ASSOCIATION_USERS: usize = 100;
pub const POSTS_PER_USER: usize = 10;
pub const COMMENTS_PER_POST: usize = 10;

/// The hair colour of the `i`th user of the medium and associations workloads.
pub fn hair_color(i: usize) -> &'static str {
    if i.is_multiple_of(2) { "black" } else { "brown" }
}

/// One way of running the workloads, holding its own connection and runtime. Each method
/// returns the number of records it built (see [`Workload::expected`]).
pub trait Contender {
    fn trivial(&mut self) -> usize;
    fn medium(&mut self) -> usize;
    fn insert(&mut self, size: usize) -> usize;
    fn associations(&mut self) -> usize;

    fn run(&mut self, workload: Workload, size: usize) -> usize {
        match workload {
            Workload::Trivial => self.trivial(),
            Workload::Medium => self.medium(),
            Workload::Insert => self.insert(size),
            Workload::Associations => self.associations(),
        }
    }
}

/// The contenders' names, in the order the reports list them.
pub const CONTENDERS: [&str; 4] = ["raw_sqlx", "orm", "diesel", "sea_orm"];

/// Opens the contender `name` on the database at `url`.
pub fn contender(name: &str, backend: Backend, url: &str) -> Option<Box<dyn Contender>> {
    Some(match name {
        "raw_sqlx" => Box::new(raw_sqlx::RawSqlx::connect(backend, url)),
        "orm" => Box::new(orm_client::Orm::connect(url)),
        "diesel" => diesel_peer::connect(backend, url),
        "sea_orm" => Box::new(sea_orm_peer::SeaOrm::connect(url)),
        _ => return None,
    })
}

/// A current-thread runtime, as every contender uses.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime")
}

/// The benchmark's own database on one backend: created empty (tables included) when opened,
/// dropped when done with.
pub struct Database {
    pub backend: Backend,
    pub url: String,
    server_url: String,
    _dir: Option<tempfile::TempDir>,
}

const NAME: &str = "orm_bench";

impl Database {
    /// Creates the database and its tables, or reuses it when `fresh` is false (the
    /// instruction counter runs against the database its driver prepared).
    pub fn open(backend: Backend, fresh: bool) -> Database {
        sqlx::any::install_default_drivers();
        let server_url = backend.server_url().unwrap_or_else(|| panic!("no URL for {backend}: set ORM_TEST_*_URL"));
        let (url, dir) = match backend {
            Backend::Sqlite => {
                // tmpfs when there is one, so that SQLite's syncs cost what they cost a server.
                let base = std::path::Path::new("/dev/shm");
                let dir =
                    if base.is_dir() { tempfile::tempdir_in(base) } else { tempfile::tempdir() }.expect("a temp dir");
                let path = match std::env::var("ORM_BENCH_SQLITE_FILE") {
                    Ok(path) if !fresh => std::path::PathBuf::from(path),
                    _ => dir.path().join("bench.db"),
                };
                (format!("sqlite://{}?mode=rwc", path.display()), Some(dir))
            }
            Backend::Postgres | Backend::Mysql => (orm_runtime::migrate::database_url(&server_url, NAME), None),
        };
        let db = Database { backend, url, server_url, _dir: dir };
        if fresh {
            runtime().block_on(db.create());
        }
        db
    }

    /// The path of the SQLite file, to hand to a process that reuses the database.
    pub fn sqlite_file(&self) -> Option<&str> {
        self.url.strip_prefix("sqlite://").and_then(|rest| rest.split('?').next())
    }

    async fn create(&self) {
        if self.backend != Backend::Sqlite {
            let mut server = AnyConnection::connect(&self.server_url).await.expect("the server");
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {NAME}"))).execute(&mut server).await.unwrap();
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {NAME}"))).execute(&mut server).await.unwrap();
        }
        let mut conn = self.connect().await;
        for ddl in ddl(self.backend) {
            sqlx::raw_sql(AssertSqlSafe(*ddl)).execute(&mut conn).await.unwrap();
        }
    }

    async fn connect(&self) -> AnyConnection {
        AnyConnection::connect(&self.url).await.expect("the bench database")
    }

    /// Empties the tables and writes the rows `workload` reads.
    pub fn prepare(&self, workload: Workload, size: usize) {
        runtime().block_on(async {
            let mut conn = self.connect().await;
            for table in ["comments", "posts", "users"] {
                let sql = match self.backend {
                    Backend::Sqlite => format!("DELETE FROM {table}"),
                    Backend::Postgres => format!("TRUNCATE {table} RESTART IDENTITY"),
                    Backend::Mysql => format!("TRUNCATE {table}"),
                };
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
            }
            let users = match workload {
                Workload::Trivial => (0..size).map(|i| (format!("User {i}"), None)).collect(),
                Workload::Medium | Workload::Associations => {
                    (0..size).map(|i| (format!("User {i}"), Some(hair_color(i)))).collect()
                }
                Workload::Insert => Vec::new(),
            };
            self.insert_rows(&mut conn, "users", &["name", "hair_color"], users, |q, (name, hair)| {
                q.bind(name).bind(hair)
            })
            .await;
            if workload == Workload::Associations {
                let user_ids = self.ids(&mut conn, "users").await;
                let posts = user_ids
                    .iter()
                    .flat_map(|&u| (0..POSTS_PER_USER).map(move |p| (u, format!("Post {p} by user {u}"))))
                    .collect();
                self.insert_rows(&mut conn, "posts", &["user_id", "title", "body"], posts, |q, (u, title)| {
                    q.bind(u).bind(title).bind(None::<String>)
                })
                .await;
                let post_ids = self.ids(&mut conn, "posts").await;
                let comments = post_ids
                    .iter()
                    .flat_map(|&p| (0..COMMENTS_PER_POST).map(move |c| (p, format!("Comment {c} on post {p}"))))
                    .collect();
                self.insert_rows(&mut conn, "comments", &["post_id", "text"], comments, |q, (p, text)| {
                    q.bind(p).bind(text)
                })
                .await;
            }
        });
    }

    async fn ids(&self, conn: &mut AnyConnection, table: &str) -> Vec<i32> {
        let rows: Vec<(i32,)> = sqlx::query_as(AssertSqlSafe(format!("SELECT id FROM {table} ORDER BY id")))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        rows.into_iter().map(|(id,)| id).collect()
    }

    /// Multi-row inserts of at most 500 rows each (every backend's bind limit allows it).
    async fn insert_rows<T>(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        columns: &[&str],
        rows: Vec<T>,
        bind: impl for<'q> Fn(
            sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
            T,
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) {
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<T> = rows.by_ref().take(500).collect();
            let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
            let mut n = 0;
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(" } else { ", (" });
                for c in 0..columns.len() {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    n += 1;
                    match self.backend {
                        Backend::Postgres => sql.push_str(&format!("${n}")),
                        _ => sql.push('?'),
                    }
                }
                sql.push(')');
            }
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for row in chunk {
                query = bind(query, row);
            }
            query.execute(&mut *conn).await.unwrap();
        }
    }

    /// Leaves the database (SQLite's folder too) in place.
    pub fn keep(mut self) {
        if let Some(dir) = self._dir.take() {
            let _ = dir.keep();
        }
    }

    /// Drops the database (SQLite's file goes with its folder).
    pub fn drop_database(self) {
        if self.backend != Backend::Sqlite {
            runtime().block_on(async {
                let mut server = AnyConnection::connect(&self.server_url).await.expect("the server");
                sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {NAME}")))
                    .execute(&mut server)
                    .await
                    .unwrap();
            });
        }
    }
}

/// diesel_bench's tables.
fn ddl(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &[
            "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name VARCHAR NOT NULL, hair_color VARCHAR)",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, user_id INTEGER NOT NULL, title VARCHAR NOT NULL, body TEXT)",
            "CREATE TABLE comments (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, post_id INTEGER NOT NULL, text TEXT NOT NULL)",
        ],
        Backend::Postgres => &[
            "CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, hair_color VARCHAR)",
            "CREATE TABLE posts (id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL, title VARCHAR NOT NULL, body TEXT)",
            "CREATE TABLE comments (id SERIAL PRIMARY KEY, post_id INTEGER NOT NULL, text TEXT NOT NULL)",
        ],
        Backend::Mysql => &[
            "CREATE TABLE users (id INTEGER PRIMARY KEY AUTO_INCREMENT, name TEXT NOT NULL, hair_color TEXT)",
            "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTO_INCREMENT, user_id INTEGER NOT NULL, title TEXT NOT NULL, body TEXT)",
            "CREATE TABLE comments (id INTEGER PRIMARY KEY AUTO_INCREMENT, post_id INTEGER NOT NULL, text TEXT NOT NULL)",
        ],
    }
}
