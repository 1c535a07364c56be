//! Diesel 2.3 as its guide writes it: `table!` schemas, `Selectable` structs, a left join with
//! `Option<Post>`, batch `insert_into`, and `belonging_to` / `grouped_by` for associations.
//! Synchronous Diesel on SQLite (its own driver, no runtime), diesel-async on the servers
//! (the async peer of the other contenders; sync Diesel there needs libpq / libmysqlclient).

use diesel::prelude::*;

use crate::{Backend, Contender, runtime};

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        hair_color -> Nullable<Text>,
    }
}

diesel::table! {
    posts (id) {
        id -> Integer,
        user_id -> Integer,
        title -> Text,
        body -> Nullable<Text>,
    }
}

diesel::table! {
    comments (id) {
        id -> Integer,
        post_id -> Integer,
        text -> Text,
    }
}

diesel::joinable!(posts -> users (user_id));
diesel::joinable!(comments -> posts (post_id));
diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);

#[derive(Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(belongs_to(User), table_name = posts)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(belongs_to(Post), table_name = comments)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub name: String,
    pub hair_color: Option<&'a str>,
}

fn new_users(size: usize) -> Vec<NewUser<'static>> {
    (0..size).map(|i| NewUser { name: format!("User {i}"), hair_color: Some("hair_color") }).collect()
}

type Nested = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

fn stitch(users: Vec<User>, posts: Vec<Post>, comments: Vec<Comment>) -> Nested {
    let comments = comments.grouped_by(&posts);
    let posts = posts.into_iter().zip(comments).grouped_by(&users);
    users.into_iter().zip(posts).collect()
}

fn count(nested: &Nested) -> usize {
    nested.iter().map(|(_, posts)| 1 + posts.iter().map(|(_, c)| 1 + c.len()).sum::<usize>()).sum()
}

/// Diesel on `backend`'s database at `url`.
pub fn connect(backend: Backend, url: &str) -> Box<dyn Contender> {
    match backend {
        Backend::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            let path = path.split('?').next().unwrap_or(path);
            Box::new(DieselSqlite { conn: SqliteConnection::establish(path).unwrap() })
        }
        Backend::Postgres => {
            let rt = runtime();
            let conn = rt.block_on(<diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(url));
            Box::new(DieselAsync { rt, conn: conn.unwrap() })
        }
        Backend::Mysql => {
            let rt = runtime();
            let conn =
                rt.block_on(<diesel_async::AsyncMysqlConnection as diesel_async::AsyncConnection>::establish(url));
            Box::new(DieselAsync { rt, conn: conn.unwrap() })
        }
    }
}

pub struct DieselSqlite {
    conn: SqliteConnection,
}

impl Contender for DieselSqlite {
    fn trivial(&mut self) -> usize {
        users::table.select(User::as_select()).load(&mut self.conn).unwrap().len()
    }

    fn medium(&mut self) -> usize {
        let rows: Vec<(User, Option<Post>)> = users::table
            .left_join(posts::table)
            .filter(users::hair_color.eq("black"))
            .select((User::as_select(), Option::<Post>::as_select()))
            .load(&mut self.conn)
            .unwrap();
        rows.len()
    }

    fn insert(&mut self, size: usize) -> usize {
        diesel::insert_into(users::table).values(&new_users(size)).execute(&mut self.conn).unwrap()
    }

    fn associations(&mut self) -> usize {
        let conn = &mut self.conn;
        let users: Vec<User> = users::table.select(User::as_select()).load(conn).unwrap();
        let posts: Vec<Post> = Post::belonging_to(&users).select(Post::as_select()).load(conn).unwrap();
        let comments: Vec<Comment> = Comment::belonging_to(&posts).select(Comment::as_select()).load(conn).unwrap();
        count(&stitch(users, posts, comments))
    }
}

pub struct DieselAsync<C> {
    rt: tokio::runtime::Runtime,
    conn: C,
}

/// The same body for each diesel-async connection type.
macro_rules! diesel_async_contender {
    ($conn:ty) => {
        impl Contender for DieselAsync<$conn> {
            fn trivial(&mut self) -> usize {
                let conn = &mut self.conn;
                self.rt.block_on(async {
                    diesel_async::RunQueryDsl::load(users::table.select(User::as_select()), conn).await.unwrap().len()
                })
            }

            fn medium(&mut self) -> usize {
                let conn = &mut self.conn;
                self.rt.block_on(async {
                    let query = users::table
                        .left_join(posts::table)
                        .filter(users::hair_color.eq("black"))
                        .select((User::as_select(), Option::<Post>::as_select()));
                    let rows: Vec<(User, Option<Post>)> = diesel_async::RunQueryDsl::load(query, conn).await.unwrap();
                    rows.len()
                })
            }

            fn insert(&mut self, size: usize) -> usize {
                let conn = &mut self.conn;
                self.rt.block_on(async {
                    let rows = new_users(size);
                    diesel_async::RunQueryDsl::execute(diesel::insert_into(users::table).values(&rows), conn)
                        .await
                        .unwrap()
                })
            }

            fn associations(&mut self) -> usize {
                let conn = &mut self.conn;
                self.rt.block_on(async {
                    let users: Vec<User> =
                        diesel_async::RunQueryDsl::load(users::table.select(User::as_select()), conn).await.unwrap();
                    let posts: Vec<Post> =
                        diesel_async::RunQueryDsl::load(Post::belonging_to(&users).select(Post::as_select()), conn)
                            .await
                            .unwrap();
                    let comments: Vec<Comment> = diesel_async::RunQueryDsl::load(
                        Comment::belonging_to(&posts).select(Comment::as_select()),
                        conn,
                    )
                    .await
                    .unwrap();
                    count(&stitch(users, posts, comments))
                })
            }
        }
    };
}

diesel_async_contender!(diesel_async::AsyncPgConnection);
diesel_async_contender!(diesel_async::AsyncMysqlConnection);
