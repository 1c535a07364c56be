//! A tiny blog on the README's example schema: creates its tables on first run, writes a
//! user and a post, bumps view counts, and prints what it reads back.
//!
//! `cargo run -p orm-example-blog` uses SQLite (`blog.db` in the current folder); set
//! `DATABASE_URL` to a `postgres://…` or `mysql://…` database to run the same code there.

mod db {
    orm_runtime::include_client!();
}

mod create_tables {
    include!(concat!(env!("OUT_DIR"), "/create_tables.rs"));
}

use db::{Client, PostStatus, Role, post, user};
use orm_runtime::{CreateExt, Dialect};

/// Creates the tables when the database has none yet.
async fn create_tables(client: &Client) -> Result<(), orm_runtime::Error> {
    let (exists, statements) = match client.db().dialect() {
        Dialect::Sqlite => {
            ("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", create_tables::SQLITE)
        }
        Dialect::Postgres => (
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
            create_tables::POSTGRES,
        ),
        Dialect::Mysql => (
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            create_tables::MYSQL,
        ),
    };
    let found: Vec<(i64,)> = client.raw(exists).bind("users".to_owned()).fetch_all().await?;
    if found.first().is_some_and(|(n,)| *n > 0) {
        return Ok(());
    }
    client
        .transaction(|tx| async move {
            for statement in statements {
                tx.raw(*statement).execute().await?;
            }
            Ok::<(), orm_runtime::Error>(())
        })
        .await?;
    println!("created the tables ({} statements)", statements.len());
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), orm_runtime::Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite:blog.db".to_owned());
    let client = Client::connect(&url).await?;
    create_tables(&client).await?;

    // Writes: an upsert keeps reruns idempotent; the post's slug is new on every run.
    let alice = client
        .user()
        .upsert(
            user::UniqueWhere::Email("alice@example.com".into()),
            user::Create { email: "alice@example.com".into() }
                .with(user::name.set("Alice"))
                .with(user::role.set(Role::Editor)),
        )
        .exec()
        .await?;
    let n = client.post().count().filter(post::author_id.equals(alice.id)).exec().await? + 1;
    let created = client
        .post()
        .create(post::Create {
            title: format!("Post number {n}"),
            slug: format!("post-{n}"),
            body: "Written with orm.".into(),
            author_id: alice.id,
        })
        .data(post::status.set(PostStatus::Published))
        .exec()
        .await?;
    println!("created post {} ({})", created.slug, created.id);
    let bumped = client
        .post()
        .update_many()
        .filter(post::author_id.equals(alice.id))
        .data(post::views.increment(1))
        .exec()
        .await?;
    println!("counted a view on {bumped} posts");

    // Reads.
    let latest = client
        .post()
        .find_many()
        .filter(post::author_id.equals(alice.id).and(post::status.equals(PostStatus::Published)))
        .order_by(post::views.desc())
        .order_by(post::slug.asc())
        .take(3)
        .exec()
        .await?;
    println!("{} ({:?}) has {n} posts; the most read:", alice.name.as_deref().unwrap_or("?"), alice.role);
    for p in latest {
        println!("  {:<16} {:>3} views  {}", p.slug, p.views, p.title);
    }
    Ok(())
}
