#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // `posts` relates to `Post`s: a `User` field can't filter them.
    let _ = db.user().find_many().filter(db::user::posts.some(db::user::email.equals("a"))).exec().await;
}

fn main() {
    let _ = find;
}
