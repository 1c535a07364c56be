#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn update(db: db::Client) {
    // Every post has an author: a user's posts can be moved or deleted, not disconnected.
    let posts = db::user::posts.disconnect([db::post::UniqueWhere::Slug("s".into())]);
    let _ = db.user().update(db::user::UniqueWhere::Id(1)).related(posts).exec().await;
    // Nor can a post's author.
    let _ = db::post::author.disconnect();
}

fn main() {
    let _ = update;
}
