#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // A post has one author: `some` is for lists; `is` is the single relation's filter.
    let _ = db.post().find_many().filter(db::post::author.some(db::user::name.equals("Alice"))).exec().await;
}

fn main() {
    let _ = find;
}
