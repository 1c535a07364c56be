#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn total(db: db::Client) {
    // Text has no sum.
    let _ = db.post().aggregate().sum(db::post::title).exec().await;
}

fn main() {
    let _ = total;
}
