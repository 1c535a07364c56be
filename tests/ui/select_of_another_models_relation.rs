#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // `post::comments` is a relation of posts: users can't select it.
    let _ = db.user().find_many().select((db::user::email, db::post::comments)).exec().await;
}

fn main() {
    let _ = find;
}
