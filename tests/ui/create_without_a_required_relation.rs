#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn create(db: db::Client) {
    // A post needs its author: by key (`author: 1.into()`) or a nested connect or create.
    let _ = db.post().create(db::post::Create { title: "t".into(), slug: "s".into(), body: "b".into() }).exec().await;
}

fn main() {
    let _ = create;
}
