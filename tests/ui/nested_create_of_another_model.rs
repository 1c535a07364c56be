#[path = "../../codegen/tests/client/example/mod.rs"]
mod db;
use orm_runtime::CreateExt as _;

async fn create(db: db::Client) {
    // A user's posts are created from posts' input, not comments'.
    let comment = db::comment::CreateWithoutPost { body: "b".into() };
    let _ = db.user().create(db::user::Create { email: "a@x.io".into() }.related(db::user::posts.create([comment]))).exec().await;
    // Nor from a post's full `Create`: the user gives the author.
    let post = db::post::Create { title: "t".into(), slug: "s".into(), body: "b".into(), author: 1.into() };
    let _ = db::user::posts.create([post]);
}

fn main() {
    let _ = create;
}
