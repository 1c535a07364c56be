#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn find(db: db::Client) {
    // Only to-many relations have a count to sort by or load.
    let _ = db.post().find_many().order_by(db::post::author.count().desc()).exec().await;
}

fn main() {
    let _ = find;
}
