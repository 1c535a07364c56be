//! A tiny blog on the README's example schema: applies its migrations at start-up, writes a
//! user, a post and a comment, bumps view counts, and prints what it reads back: records
//! with their related records (two statements more, however many there are), filtered by
//! their relations, sorted by a relation's count, and grouped.
//!
//! `cargo run -p orm-example-blog` uses SQLite (`blog.db` in the current folder); set
//! `DATABASE_URL` to a `postgres://…` or `mysql://…` database to run the same code there.

mod db {
    orm_runtime::include_client!();
}

mod migrations {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

use db::{Client, PostStatus, Role, comment, post, user};
use orm_runtime::migrate::{Migration, Migrator};
use orm_runtime::{CreateExt, Dialect};

/// Brings the database up to date with the migrations `orm migrate dev` wrote for its
/// backend, as `orm migrate deploy` would: under the migration lock, each one once, recorded in
/// `_prisma_migrations`.
async fn migrate(url: &str, dialect: Dialect) -> Result<(), Box<dyn std::error::Error>> {
    let embedded = match dialect {
        Dialect::Sqlite => migrations::SQLITE,
        Dialect::Postgres => migrations::POSTGRES,
        Dialect::Mysql => migrations::MYSQL,
    };
    let local: Vec<Migration> = embedded
        .iter()
        .map(|(name, script, down)| Migration { down: Some((*down).to_owned()), ..Migration::new(*name, *script) })
        .collect();
    let mut migrator = Migrator::connect(url).await?;
    let applied = migrator.deploy(&local).await;
    migrator.close().await?;
    for name in applied? {
        println!("applied migration {name}");
    }
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

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite:blog.db".to_owned());
    let client = Client::connect(&url).await?;
    migrate(&url, client.db().dialect()).await?;

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
            author: alice.id.into(),
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
    client
        .comment()
        .create(comment::Create { body: format!("Comment on post {n}"), post: created.id.clone().into() })
        .data(comment::author_id.set(alice.id))
        .exec()
        .await?;

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

    // Relations: users who wrote a published post, with their three most read posts and
    // those posts' comments; one statement per level.
    let writers = client
        .user()
        .find_many()
        .filter(user::posts.some(post::status.equals(PostStatus::Published)))
        .order_by(user::posts.count().desc())
        .include(
            user::posts
                .load()
                .order_by(post::views.desc())
                .take(3)
                .include(post::comments.load().include(comment::author)),
        )
        .include(user::posts.count())
        .exec()
        .await?;
    for w in &writers {
        println!("{} wrote {} posts:", w.email, w._count.get(user::posts)?);
        for p in w.posts()? {
            let comments = p.comments()?;
            let by: Vec<&str> =
                comments.iter().filter_map(|c| c.author().ok().flatten()).map(|a| a.email.as_str()).collect();
            println!("  {:<16} {} comment(s) by {}", p.slug, comments.len(), by.join(", "));
        }
    }
    let by_status = client.post().group_by((post::status,)).count().sum(post::views).exec().await?;
    for ((status,), (posts, views)) in by_status {
        println!("{status:?}: {posts} posts, {} views", views.unwrap_or(0));
    }
    Ok(())
}
