#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // `email` is a field, not a relation: there is nothing to include.
    let _ = db.user().find_many().include(db::user::email).exec().await;
}

fn main() {
    let _ = find;
}
