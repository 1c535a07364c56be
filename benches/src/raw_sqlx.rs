//! Hand-written sqlx, as its users write it at its best: `query_as` into `FromRow` structs on
//! one connection, multi-row inserts, and associations loaded with one statement per level
//! (`= ANY($1)` on PostgreSQL, `IN (…)` elsewhere) stitched by key in hash maps.

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection, SqliteConnection};

use crate::{Backend, Contender, runtime};

#[derive(Debug, sqlx::FromRow)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

#[derive(Debug, sqlx::FromRow)]
struct UserWithPost {
    id: i32,
    name: String,
    hair_color: Option<String>,
    post_id: Option<i32>,
    user_id: Option<i32>,
    title: Option<String>,
    body: Option<String>,
}

enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
    Mysql(MySqlConnection),
}

/// The same body for each driver's connection type.
macro_rules! on_conn {
    ($self:ident, $conn:ident => $body:expr) => {{
        let rt = &$self.rt;
        match &mut $self.conn {
            Conn::Sqlite($conn) => rt.block_on(async { $body }),
            Conn::Postgres($conn) => rt.block_on(async { $body }),
            Conn::Mysql($conn) => rt.block_on(async { $body }),
        }
    }};
}

pub struct RawSqlx {
    rt: tokio::runtime::Runtime,
    conn: Conn,
    backend: Backend,
}

impl RawSqlx {
    pub fn connect(backend: Backend, url: &str) -> RawSqlx {
        let rt = runtime();
        let conn = rt.block_on(async {
            match backend {
                Backend::Sqlite => Conn::Sqlite(SqliteConnection::connect(url).await.unwrap()),
                Backend::Postgres => Conn::Postgres(PgConnection::connect(url).await.unwrap()),
                Backend::Mysql => Conn::Mysql(MySqlConnection::connect(url).await.unwrap()),
            }
        });
        RawSqlx { rt, conn, backend }
    }

    fn medium_sql(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => {
                "SELECT u.id, u.name, u.hair_color, p.id AS post_id, p.user_id, p.title, p.body \
                 FROM users AS u LEFT JOIN posts AS p ON u.id = p.user_id WHERE u.hair_color = $1"
            }
            _ => {
                "SELECT u.id, u.name, u.hair_color, p.id AS post_id, p.user_id, p.title, p.body \
                 FROM users AS u LEFT JOIN posts AS p ON u.id = p.user_id WHERE u.hair_color = ?"
            }
        }
    }

    /// `INSERT INTO users (name, hair_color) VALUES (…), …` for `size` rows.
    fn insert_sql(&self, size: usize) -> String {
        let mut sql = String::with_capacity(48 + size * 16);
        sql.push_str("INSERT INTO users (name, hair_color) VALUES ");
        for i in 0..size {
            if i > 0 {
                sql.push_str(", ");
            }
            match self.backend {
                Backend::Postgres => {
                    use std::fmt::Write;
                    let _ = write!(sql, "(${}, ${})", 2 * i + 1, 2 * i + 2);
                }
                _ => sql.push_str("(?, ?)"),
            }
        }
        sql
    }
}

/// `… WHERE column IN (?, …)` for `n` values.
fn in_list(prefix: &str, n: usize) -> String {
    let mut sql = String::with_capacity(prefix.len() + 3 * n + 2);
    sql.push_str(prefix);
    sql.push_str(" IN (");
    for i in 0..n {
        sql.push_str(if i == 0 { "?" } else { ", ?" });
    }
    sql.push(')');
    sql
}

fn user_with_post(r: UserWithPost) -> (User, Option<Post>) {
    let post = match (r.post_id, r.user_id, r.title) {
        (Some(id), Some(user_id), Some(title)) => Some(Post { id, user_id, title, body: r.body }),
        _ => None,
    };
    (User { id: r.id, name: r.name, hair_color: r.hair_color }, post)
}

/// Users with their posts with their comments, in the users' order.
pub type Nested = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

fn stitch(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Nested {
    let mut comments_of: HashMap<i32, Vec<Comment>> = HashMap::with_capacity(posts.len());
    for c in comments {
        comments_of.entry(c.post_id).or_default().push(c);
    }
    let mut posts_of: HashMap<i32, Vec<(Post, Vec<Comment>)>> = HashMap::with_capacity(users.len());
    for p in posts {
        let comments = comments_of.remove(&p.id).unwrap_or_default();
        posts_of.entry(p.user_id).or_default().push((p, comments));
    }
    users
        .into_iter()
        .map(|u| {
            let posts = posts_of.remove(&u.id).unwrap_or_default();
            (u, posts)
        })
        .collect()
}

pub fn count(nested: &Nested) -> usize {
    nested.iter().map(|(_, posts)| 1 + posts.iter().map(|(_, c)| 1 + c.len()).sum::<usize>()).sum()
}

impl Contender for RawSqlx {
    fn trivial(&mut self) -> usize {
        on_conn!(self, conn => {
            let users: Vec<User> =
                sqlx::query_as("SELECT id, name, hair_color FROM users").fetch_all(&mut *conn).await.unwrap();
            users.len()
        })
    }

    fn medium(&mut self) -> usize {
        let sql = self.medium_sql();
        on_conn!(self, conn => {
            let rows: Vec<UserWithPost> = sqlx::query_as(sql).bind("black").fetch_all(&mut *conn).await.unwrap();
            let pairs: Vec<(User, Option<Post>)> = rows.into_iter().map(user_with_post).collect();
            pairs.len()
        })
    }

    fn insert(&mut self, size: usize) -> usize {
        let sql = self.insert_sql(size);
        on_conn!(self, conn => {
            let mut query = sqlx::query(AssertSqlSafe(&*sql));
            for i in 0..size {
                query = query.bind(format!("User {i}")).bind(Some("hair_color"));
            }
            query.execute(&mut *conn).await.unwrap().rows_affected() as usize
        })
    }

    fn associations(&mut self) -> usize {
        let nested = match &mut self.conn {
            Conn::Postgres(conn) => self.rt.block_on(async {
                let users: Vec<User> =
                    sqlx::query_as("SELECT id, name, hair_color FROM users").fetch_all(&mut *conn).await.unwrap();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<Post> =
                    sqlx::query_as("SELECT id, user_id, title, body FROM posts WHERE user_id = ANY($1)")
                        .bind(&ids)
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments: Vec<Comment> =
                    sqlx::query_as("SELECT id, post_id, text FROM comments WHERE post_id = ANY($1)")
                        .bind(&ids)
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                stitch(users, posts, comments)
            }),
            _ => on_conn!(self, conn => {
                let users: Vec<User> =
                    sqlx::query_as("SELECT id, name, hair_color FROM users").fetch_all(&mut *conn).await.unwrap();
                let sql = in_list("SELECT id, user_id, title, body FROM posts WHERE user_id", users.len());
                let mut query = sqlx::query_as(AssertSqlSafe(&*sql));
                for u in &users {
                    query = query.bind(u.id);
                }
                let posts: Vec<Post> = query.fetch_all(&mut *conn).await.unwrap();
                let sql = in_list("SELECT id, post_id, text FROM comments WHERE post_id", posts.len());
                let mut query = sqlx::query_as(AssertSqlSafe(&*sql));
                for p in &posts {
                    query = query.bind(p.id);
                }
                let comments: Vec<Comment> = query.fetch_all(&mut *conn).await.unwrap();
                stitch(users, posts, comments)
            }),
        };
        count(&nested)
    }
}
