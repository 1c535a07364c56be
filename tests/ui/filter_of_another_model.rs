#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // A `Post` field can't filter `User`s.
    let _ = db.user().find_many().filter(db::post::title.equals("hello")).exec().await;
}

fn main() {
    let _ = find;
}
