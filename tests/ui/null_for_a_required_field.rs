#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn update(db: db::Client) {
    // `email` is required: it has no `set_null`.
    let _ = db.user().update(db::user::UniqueWhere::Id(1)).data(db::user::email.set_null()).exec().await;
}

fn main() {
    let _ = update;
}
