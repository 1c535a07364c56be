#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // `email` is a String.
    let _ = db.user().find_many().filter(db::user::email.equals(42)).exec().await;
}

fn main() {
    let _ = find;
}
