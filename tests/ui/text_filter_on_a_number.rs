#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // `contains` exists for text fields only.
    let _ = db.user().find_many().filter(db::user::id.contains("1")).exec().await;
}

fn main() {
    let _ = find;
}
