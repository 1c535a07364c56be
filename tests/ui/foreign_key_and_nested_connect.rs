#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;

async fn create(db: db::Client) {
    // The author is given once: its key and a nested connect can't both be.
    let _ = db
        .post()
        .create(db::post::Create {
            title: "t".into(),
            slug: "s".into(),
            body: "b".into(),
            author_id: 1,
            author: db::post::Author::connect(db::user::UniqueWhere::Id(1)),
        })
        .exec()
        .await;
}

fn main() {
    let _ = create;
}
