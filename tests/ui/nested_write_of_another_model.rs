#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;
use orm_runtime::CreateExt as _;

async fn create(db: db::Client) {
    // `post::tags` is a relation of posts: a user's create can't write it.
    let _ = db.user().create(db::user::Create { email: "a@x.io".into() }.related(db::post::tags.connect([]))).exec().await;
    // A user's posts are connected by the unique criteria of posts, not of tags.
    let _ = db.user().update(db::user::UniqueWhere::Id(1)).related(db::user::posts.connect([db::tag::UniqueWhere::Id(1)]));
}

fn main() {
    let _ = create;
}
