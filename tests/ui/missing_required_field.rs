#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn create(db: db::Client) {
    // `email` is required and has no default.
    let _ = db.user().create(db::user::Create {}).exec().await;
}

fn main() {
    let _ = create;
}
