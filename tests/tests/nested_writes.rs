//! Nested creates through the generated client, on every backend: a record written with its
//! related records to any depth, one batched insert per relation and level (the statements are
//! counted); required relations given by key, by a nested connect or by a nested create;
//! `connect_or_create` both ways; to-one writes from either side; and one transaction, so a
//! failure at the deepest level leaves every table as it was.

mod example {
    orm_runtime::include_client!("example");
}
mod kitchen {
    orm_runtime::include_client!("kitchen");
}

use orm_runtime::{CreateExt, Dialect, Error};
use orm_tests::scratch::ScratchDb;
use orm_tests::statements::Statements;

use example::{Client, comment, post, profile, tag, user};

const EXAMPLE: &str = include_str!("../../schema.example.orm");

macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Postgres).await } )* }
        mod mysql { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Mysql).await } )* }
    };
}

on_every_backend!(
    a_user_with_profile_posts_comments_and_tags_in_one_call,
    nested_creates_are_one_insert_per_level,
    required_relations_by_key_connect_or_create,
    a_failure_at_the_deepest_level_writes_nothing,
    to_one_writes_from_either_side,
    nested_updates_upserts_and_deletes,
    upserts_with_nested_writes,
    an_explicit_many_to_many_relation_through_its_join_model,
);

async fn example(dialect: Dialect) -> Option<(ScratchDb, Client)> {
    let scratch = ScratchDb::create(dialect).await?;
    scratch.migrate(EXAMPLE).await;
    let db = Client::connect(&scratch.url).await.unwrap();
    Some((scratch, db))
}

fn new_post(slug: &str) -> post::CreateWithoutAuthor {
    post::CreateWithoutAuthor { title: format!("Post {slug}"), slug: slug.into(), body: "…".into() }
}

fn new_comment(body: &str) -> comment::CreateWithoutPost {
    comment::CreateWithoutPost { body: body.into() }
}

/// How many records each table of the example holds: users, profiles, posts, comments, tags.
async fn counts(db: &Client) -> [u64; 5] {
    [
        db.user().count().exec().await.unwrap(),
        db.profile().count().exec().await.unwrap(),
        db.post().count().exec().await.unwrap(),
        db.comment().count().exec().await.unwrap(),
        db.tag().count().exec().await.unwrap(),
    ]
}

async fn a_user_with_profile_posts_comments_and_tags_in_one_call(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let sql = db.tag().create(tag::Create { name: "sql".into() }).exec().await.unwrap();
    let bob = db.user().create(user::Create { email: "bob@x.io".into() }).exec().await.unwrap();
    let tag = |name: &str| (tag::UniqueWhere::Name(name.into()), tag::Create { name: name.into() });
    let alice = db
        .user()
        .create(
            user::Create { email: "alice@x.io".into() }
                .with(user::name.set("Alice"))
                .related(user::profile.create(profile::CreateWithoutUser {}.with(profile::bio.set("Writes"))))
                .related(
                    user::posts.create([
                        new_post("a1")
                            .related(post::comments.create([
                                new_comment("First").related(comment::author.connect(user::UniqueWhere::Id(bob.id))),
                                new_comment("Anonymous").into(),
                            ]))
                            // `sql` exists and is connected; `rust` doesn't and is created.
                            .related(post::tags.connect_or_create([tag("sql"), tag("rust")])),
                        new_post("a2").related(post::tags.connect([tag::UniqueWhere::Name("sql".into())])),
                    ]),
                ),
        )
        .exec()
        .await
        .unwrap();
    assert_eq!(alice.name.as_deref(), Some("Alice"));
    assert_eq!(counts(&db).await, [2, 1, 2, 2, 2]);

    let found = db
        .user()
        .find_unique_or_error(user::UniqueWhere::Id(alice.id))
        .include(user::profile)
        .include(
            user::posts
                .load()
                .order_by(post::slug.asc())
                .include(post::comments.load().order_by(comment::id.asc()).include(comment::author))
                .include(post::tags.load().order_by(tag::name.asc())),
        )
        .exec()
        .await
        .unwrap();
    assert_eq!(found.profile().unwrap().and_then(|p| p.bio.as_deref()), Some("Writes"));
    let posts = found.posts().unwrap();
    assert_eq!(posts.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(), ["a1", "a2"]);
    let comments = posts[0].comments().unwrap();
    let described: Vec<(&str, Option<&str>)> =
        comments.iter().map(|c| (c.body.as_str(), c.author().unwrap().map(|a| a.email.as_str()))).collect();
    assert_eq!(described, [("First", Some("bob@x.io")), ("Anonymous", None)]);
    let names = |p: &post::Post| p.tags().unwrap().iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&posts[0]), ["rust", "sql"]);
    assert_eq!(names(&posts[1]), ["sql"]);
    assert_eq!(posts[1].tags().unwrap()[0].id, sql.id, "connected, not created again");

    // `connect_or_create` of a record connected already keeps it; a nested create in an update.
    db.post()
        .update(post::UniqueWhere::Slug("a2".into()))
        .related(post::tags.connect_or_create([tag("sql"), tag("go")]))
        .related(post::comments.create([new_comment("Late")]))
        .exec()
        .await
        .unwrap();
    assert_eq!(counts(&db).await, [2, 1, 2, 3, 3]);
    let a2 = db
        .post()
        .find_unique_or_error(post::UniqueWhere::Slug("a2".into()))
        .include(post::tags.load().order_by(tag::name.asc()))
        .include(post::comments)
        .exec()
        .await
        .unwrap();
    assert_eq!(names(&a2), ["go", "sql"]);
    assert_eq!(a2.comments().unwrap()[0].body, "Late");

    // `create_many` inside a create: rows without nested writes of their own.
    let carol = db
        .user()
        .create(
            user::Create { email: "carol@x.io".into() }
                .related(user::posts.create_many([new_post("c1"), new_post("c2")])),
        )
        .exec()
        .await
        .unwrap();
    let of_carol = db.post().count().filter(post::author_id.equals(carol.id)).exec().await.unwrap();
    assert_eq!(of_carol, 2);
    let e = db
        .user()
        .create(
            user::Create { email: "dan@x.io".into() }
                .related(user::posts.create_many([new_post("d1").related(post::comments.create([new_comment("x")]))])),
        )
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    assert_eq!(counts(&db).await, [3, 1, 4, 3, 3], "dan was not created");
}

/// The statements a nested create of `parents` records with `children` related records each
/// costs on `dialect`, beyond one insert per level: MySQL reads each level back by key (and an
/// autoincrement level also reads how the server numbers ids).
fn per_level(dialect: Dialect, autoincrement: bool) -> usize {
    match dialect {
        Dialect::Mysql if autoincrement => 3,
        Dialect::Mysql => 2,
        _ => 1,
    }
}

async fn nested_creates_are_one_insert_per_level(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let statements = Statements::count();
    let posts = (0..100).map(|i| new_post(&format!("p{i}")));
    let user = db
        .user()
        .create(user::Create { email: "many@x.io".into() }.related(user::posts.create(posts)))
        .exec()
        .await
        .unwrap();
    // The user (one row: MySQL reads it back by its id), then 100 posts in one insert.
    let user_level = if dialect == Dialect::Mysql { 2 } else { 1 };
    assert_eq!(statements.take(), user_level + per_level(dialect, false), "1 user × 100 posts");
    assert_eq!(db.post().count().filter(post::author_id.equals(user.id)).exec().await.unwrap(), 100);

    // Three levels, 10 posts with 10 comments each: one insert per level, not per parent.
    statements.take();
    let posts = (0..10).map(|i| {
        new_post(&format!("q{i}")).related(post::comments.create((0..10).map(|j| new_comment(&format!("c{i}.{j}")))))
    });
    db.user()
        .create(user::Create { email: "deep@x.io".into() }.related(user::posts.create(posts)))
        .exec()
        .await
        .unwrap();
    assert_eq!(
        statements.take(),
        user_level + per_level(dialect, false) + per_level(dialect, true),
        "1 user × 10 posts × 10 comments"
    );
    let comments = db.comment().find_many().order_by(comment::id.asc()).include(comment::post).exec().await.unwrap();
    assert_eq!(comments.len(), 100);
    // Each comment belongs to the post it was created under.
    for c in &comments {
        let (post_n, _) = c.body.trim_start_matches('c').split_once('.').unwrap();
        assert_eq!(c.post().unwrap().slug, format!("q{post_n}"));
    }
}

async fn required_relations_by_key_connect_or_create(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let alice = db.user().create(user::Create { email: "alice@x.io".into() }).exec().await.unwrap();
    let create = async |slug: &str, author: post::Author| {
        let p = post::Create { title: slug.into(), slug: slug.into(), body: String::new(), author };
        let created = db.post().create(p).exec().await?;
        db.post().find_unique_or_error(post::UniqueWhere::Id(created.id)).include(post::author).exec().await
    };
    let by_email = |e: &str| user::UniqueWhere::Email(e.into());
    let a = create("by-key", alice.id.into()).await.unwrap();
    assert_eq!(a.author_id, alice.id);
    let b = create("by-connect", post::Author::connect(by_email("alice@x.io"))).await.unwrap();
    assert_eq!(b.author().unwrap().email, "alice@x.io");
    let c = create("by-create", post::Author::create(user::Create { email: "bob@x.io".into() })).await.unwrap();
    assert_eq!(c.author().unwrap().email, "bob@x.io");
    // connect_or_create both ways: bob exists; carol doesn't.
    let bob_again = post::Author::connect_or_create(by_email("bob@x.io"), user::Create { email: "bob@x.io".into() });
    let d = create("bob-again", bob_again).await.unwrap();
    assert_eq!(d.author_id, c.author_id);
    let carol = post::Author::connect_or_create(by_email("carol@x.io"), user::Create { email: "carol@x.io".into() });
    let e = create("carol", carol).await.unwrap();
    assert_eq!(e.author().unwrap().email, "carol@x.io");
    assert_eq!(db.user().count().exec().await.unwrap(), 3);

    // A connect to no record names it, and nothing is written.
    let err = create("nobody", post::Author::connect(by_email("nobody@x.io"))).await.unwrap_err();
    assert!(matches!(&err, Error::RelatedNotFound { model: "User", .. }), "{err:?}");
    assert_eq!(err.to_string(), "no `User` record matches `email` = \"nobody@x.io\", to connect through `Post.author`");
    assert_eq!(db.post().count().exec().await.unwrap(), 5);

    // A nested create of the parent carries its own nested writes: a user with a profile, for a post.
    let with_profile = user::Create { email: "dan@x.io".into() }
        .related(user::profile.create(profile::CreateWithoutUser {}.with(profile::bio.set("Dan's"))));
    let f = create("dan", post::Author::create(with_profile)).await.unwrap();
    let dan =
        db.user().find_unique_or_error(user::UniqueWhere::Id(f.author_id)).include(user::profile).exec().await.unwrap();
    assert_eq!(dan.profile().unwrap().and_then(|p| p.bio.as_deref()), Some("Dan's"));

    // A comment's required post by a nested connect, its optional author by a nested create.
    let comment =
        comment::Create { body: "Hi".into(), post: comment::Post::connect(post::UniqueWhere::Slug("dan".into())) }
            .related(comment::author.create(user::Create { email: "eve@x.io".into() }));
    let made = db.comment().create(comment).exec().await.unwrap();
    let made = db
        .comment()
        .find_unique_or_error(comment::UniqueWhere::Id(made.id))
        .include(comment::author)
        .include(comment::post)
        .exec()
        .await
        .unwrap();
    assert_eq!(made.post().unwrap().slug, "dan");
    assert_eq!(made.author().unwrap().map(|a| a.email.as_str()), Some("eve@x.io"));
}

async fn a_failure_at_the_deepest_level_writes_nothing(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    db.user().create(user::Create { email: "taken@x.io".into() }).exec().await.unwrap();
    let before = counts(&db).await;

    // A connect to no record, three levels down.
    let posts = [
        new_post("ok").related(post::comments.create([new_comment("fine")])),
        new_post("bad").related(post::comments.create([
            new_comment("fine too").into(),
            new_comment("broken").related(comment::author.connect(user::UniqueWhere::Email("nobody@x.io".into()))),
        ])),
    ];
    let e = db
        .user()
        .create(
            user::Create { email: "new@x.io".into() }
                .related(user::profile.create(profile::CreateWithoutUser {}))
                .related(user::posts.create(posts)),
        )
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { model: "User", .. }), "{e:?}");
    assert_eq!(counts(&db).await, before, "nothing of the call is left");

    // A unique violation three levels down: a parent created for a comment takes a used email.
    let posts = [new_post("p").related(
        post::comments
            .create([new_comment("c").related(comment::author.create(user::Create { email: "taken@x.io".into() }))]),
    )];
    let e = db
        .user()
        .create(user::Create { email: "other@x.io".into() }.related(user::posts.create(posts)))
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::UniqueViolation { model: "User", .. }), "{e:?}");
    assert_eq!(counts(&db).await, before);

    // Two sibling posts with one slug: the batched insert fails, and the user goes with it.
    let e = db
        .user()
        .create(
            user::Create { email: "twice@x.io".into() }
                .related(user::posts.create([new_post("same"), new_post("same")])),
        )
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::UniqueViolation { model: "Post", .. }), "{e:?}");
    assert_eq!(counts(&db).await, before);
}

async fn to_one_writes_from_either_side(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let alice = db.user().create(user::Create { email: "alice@x.io".into() }).exec().await.unwrap();
    let bob = db.user().create(user::Create { email: "bob@x.io".into() }).exec().await.unwrap();
    db.post()
        .create(post::Create { title: "t".into(), slug: "s".into(), body: String::new(), author: alice.id.into() })
        .exec()
        .await
        .unwrap();
    let slug = || post::UniqueWhere::Slug("s".into());

    // The side holding the key: an update's nested connect sets it.
    let moved =
        db.post().update(slug()).related(post::author.connect(user::UniqueWhere::Id(bob.id))).exec().await.unwrap();
    assert_eq!(moved.author_id, bob.id);
    // ... and a nested create makes the parent first.
    let moved = db
        .post()
        .update(slug())
        .related(post::author.create(user::Create { email: "carol@x.io".into() }))
        .exec()
        .await
        .unwrap();
    assert_ne!(moved.author_id, bob.id);

    // An optional key can be disconnected.
    let c = db
        .comment()
        .create(
            comment::Create { body: "c".into(), post: comment::Post::connect(slug()) }
                .with(comment::author_id.set(alice.id)),
        )
        .exec()
        .await
        .unwrap();
    let c =
        db.comment().update(comment::UniqueWhere::Id(c.id)).related(comment::author.disconnect()).exec().await.unwrap();
    assert_eq!(c.author_id, None);

    // The other side: alice gets a profile by a nested create, then bob's by a connect, which
    // moves it (a user has one profile; its key is required, so alice's must go elsewhere first).
    let profile_of = |id: i32| db.profile().find_first().filter(profile::user_id.equals(id)).exec();
    db.user()
        .update(user::UniqueWhere::Id(bob.id))
        .related(user::profile.create(profile::CreateWithoutUser {}.with(profile::bio.set("Bob's"))))
        .exec()
        .await
        .unwrap();
    let bobs = profile_of(bob.id).await.unwrap().unwrap();
    db.user()
        .update(user::UniqueWhere::Id(alice.id))
        .related(user::profile.connect(profile::UniqueWhere::Id(bobs.id)))
        .exec()
        .await
        .unwrap();
    assert!(profile_of(bob.id).await.unwrap().is_none());
    assert_eq!(profile_of(alice.id).await.unwrap().unwrap().bio.as_deref(), Some("Bob's"));
    // connect_or_create on that side: alice's is found by its id; dan gets a new one.
    let dan = db
        .user()
        .create(user::Create { email: "dan@x.io".into() }.related(user::profile.connect_or_create(
            profile::UniqueWhere::UserId(-1),
            profile::CreateWithoutUser {}.with(profile::bio.set("Dan's")),
        )))
        .exec()
        .await
        .unwrap();
    assert_eq!(profile_of(dan.id).await.unwrap().unwrap().bio.as_deref(), Some("Dan's"));
    assert_eq!(db.profile().count().exec().await.unwrap(), 2);
}

async fn nested_updates_upserts_and_deletes(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let db = &db;
    let with_posts = |email: &str, slugs: &[&str]| {
        let posts: Vec<_> = slugs.iter().map(|s| new_post(s)).collect();
        db.user().create(user::Create { email: email.into() }.related(user::posts.create(posts))).exec()
    };
    let alice = with_posts("alice@x.io", &["a1", "a2", "a3"]).await.unwrap();
    let bob = with_posts("bob@x.io", &["b1"]).await.unwrap();
    let slug = |s: &str| post::UniqueWhere::Slug(s.into());
    let of = |id: i32| async move {
        let posts = db.post().find_many().filter(post::author_id.equals(id)).order_by(post::slug.asc()).exec().await;
        posts.unwrap().into_iter().map(|p| (p.slug, p.title, p.views)).collect::<Vec<_>>()
    };
    let update_alice = || db.user().update(user::UniqueWhere::Id(alice.id));

    // update / update_many reach the user's own posts only.
    update_alice().related(user::posts.update(slug("a1"), [post::title.set("A1")])).exec().await.unwrap();
    let e = update_alice().related(user::posts.update(slug("b1"), [post::title.set("mine")])).exec().await.unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { model: "Post", .. }), "{e:?}");
    assert_eq!(e.to_string(), "no `Post` record matches `slug` = \"b1\", to update through `User.posts`");
    update_alice().related(user::posts.update_many(post::views.equals(0), [post::views.set(7)])).exec().await.unwrap();
    let b1 = (String::from("b1"), String::from("Post b1"), 0);
    assert_eq!(of(bob.id).await, std::slice::from_ref(&b1), "bob's post is not alice's to change");
    assert_eq!(of(alice.id).await.iter().map(|p| p.2).collect::<Vec<_>>(), [7, 7, 7]);

    // upsert: updates a connected record, creates a missing one connected.
    update_alice()
        .related(user::posts.upsert(slug("a1"), new_post("a1"), [post::views.increment(1)]))
        .related(user::posts.upsert(slug("a4"), new_post("a4"), [post::views.increment(1)]))
        .exec()
        .await
        .unwrap();
    let views: Vec<(String, i64)> = of(alice.id).await.into_iter().map(|p| (p.0, p.2)).collect();
    assert_eq!(views, [("a1".into(), 8), ("a2".into(), 7), ("a3".into(), 7), ("a4".into(), 0)]);

    // delete / delete_many, and one update that disconnects and deletes: all or nothing.
    let e = update_alice().related(user::posts.delete([slug("a2"), slug("b1")])).exec().await.unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { .. }), "{e:?}");
    assert_eq!(of(alice.id).await.len(), 4, "a2's delete was undone");
    let comment = db
        .comment()
        .create(
            comment::Create { body: "c".into(), post: comment::Post::connect(slug("b1")) }
                .with(comment::author_id.set(alice.id)),
        )
        .exec()
        .await
        .unwrap();
    update_alice()
        .related(user::comments.disconnect([comment::UniqueWhere::Id(comment.id)]))
        .related(user::posts.delete([slug("a2")]))
        .related(user::posts.delete_many(post::views.equals(7)))
        .exec()
        .await
        .unwrap();
    let left: Vec<String> = of(alice.id).await.into_iter().map(|p| p.0).collect();
    assert_eq!(left, ["a1", "a4"]);
    assert_eq!(
        db.comment().find_unique_or_error(comment::UniqueWhere::Id(comment.id)).exec().await.unwrap().author_id,
        None
    );
    assert_eq!(of(bob.id).await, [b1]);

    // Through a join table: only the post's own tags change.
    db.tag().create(tag::Create { name: "other".into() }).exec().await.unwrap();
    let tags = [("rust", tag::Create { name: "rust".into() }), ("sql", tag::Create { name: "sql".into() })];
    let a1 = || db.post().update(slug("a1"));
    a1().related(post::tags.create(tags.map(|(_, t)| t))).exec().await.unwrap();
    a1().related(post::tags.update(tag::UniqueWhere::Name("rust".into()), [tag::name.set("rustlang")]))
        .exec()
        .await
        .unwrap();
    let e = a1().related(post::tags.update(tag::UniqueWhere::Name("other".into()), [tag::name.set("x")])).exec().await;
    assert!(matches!(e, Err(Error::RelatedNotFound { model: "Tag", .. })), "{e:?}");
    a1().related(post::tags.delete_many(tag::name.contains("s"))).exec().await.unwrap();
    let names: Vec<String> =
        db.tag().find_many().order_by(tag::name.asc()).exec().await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["other"], "rustlang and sql were a1's; other was not");

    // To-one, from the side without the key: upsert creates, update changes, delete deletes.
    let bio = |id: i32| async move {
        db.profile().find_first().filter(profile::user_id.equals(id)).exec().await.unwrap().and_then(|p| p.bio)
    };
    let update_bob = || db.user().update(user::UniqueWhere::Id(bob.id));
    let created = profile::CreateWithoutUser {}.with(profile::bio.set("new"));
    update_bob().related(user::profile.upsert(created.clone(), [profile::bio.set("updated")])).exec().await.unwrap();
    assert_eq!(bio(bob.id).await.as_deref(), Some("new"));
    update_bob().related(user::profile.upsert(created, [profile::bio.set("updated")])).exec().await.unwrap();
    assert_eq!(bio(bob.id).await.as_deref(), Some("updated"));
    update_bob().related(user::profile.update([profile::bio.set("again")])).exec().await.unwrap();
    assert_eq!(bio(bob.id).await.as_deref(), Some("again"));
    update_bob().related(user::profile.delete()).exec().await.unwrap();
    assert_eq!(db.profile().count().exec().await.unwrap(), 0);
    let e = update_bob().related(user::profile.update([profile::bio.set("none")])).exec().await.unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { model: "Profile", .. }), "{e:?}");

    // From the side with the key: a comment's author is updated through the comment.
    let c = comment::UniqueWhere::Id(comment.id);
    db.comment()
        .update(c.clone())
        .related(comment::author.connect(user::UniqueWhere::Id(bob.id)))
        .exec()
        .await
        .unwrap();
    db.comment().update(c.clone()).related(comment::author.update([user::name.set("Bobby")])).exec().await.unwrap();
    let bob = db.user().find_unique_or_error(user::UniqueWhere::Id(bob.id)).exec().await.unwrap();
    assert_eq!(bob.name.as_deref(), Some("Bobby"));
    // A post's required author can't be deleted through the post.
    let e = db.post().update(slug("b1")).related(post::author.delete()).exec().await.unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
}

async fn upserts_with_nested_writes(dialect: Dialect) {
    let Some((_scratch, db)) = example(dialect).await else { return };
    let upsert = |posts: &[&str]| {
        let create = user::Create { email: "alice@x.io".into() }
            .related(user::posts.create(posts.iter().map(|s| new_post(s)).collect::<Vec<_>>()));
        db.user().upsert(user::UniqueWhere::Email("alice@x.io".into()), create)
    };
    // No record: the create runs, with its nested writes.
    let alice = upsert(&["a1", "a2"]).update(user::name.set("never")).exec().await.unwrap();
    assert_eq!(alice.name, None);
    // A record: the update runs, with its own nested writes; the create's are not.
    let again = upsert(&["a3"])
        .update(user::name.set("Alice"))
        .related(user::posts.update_many(post::views.equals(0), [post::views.set(1)]))
        .exec()
        .await
        .unwrap();
    assert_eq!((again.id, again.name.as_deref()), (alice.id, Some("Alice")));
    let posts = db.post().find_many().filter(post::author_id.equals(alice.id)).order_by(post::slug.asc()).exec();
    let posts: Vec<(String, i64)> = posts.await.unwrap().into_iter().map(|p| (p.slug, p.views)).collect();
    assert_eq!(posts, [("a1".into(), 1), ("a2".into(), 1)]);
}

async fn an_explicit_many_to_many_relation_through_its_join_model(dialect: Dialect) {
    use kitchen::{player, roster, team};
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    scratch.migrate(include_str!("../schemas/kitchen.orm")).await;
    let db = kitchen::Client::connect(&scratch.url).await.unwrap();
    let veteran = db.player().create(player::Create { name: "veteran".into() }).exec().await.unwrap();
    // A team, its roster rows, and a new player through one of them; the veteran connected.
    let team = db
        .team()
        .create(team::Create { name: "reds".into() }.related(team::rosters.create([
            roster::CreateWithoutTeam {
                number: 9,
                player: roster::Player::create(player::Create { name: "rookie".into() }),
            },
            roster::CreateWithoutTeam {
                number: 10,
                player: roster::Player::connect(player::UniqueWhere::Name("veteran".into())),
            },
        ])))
        .exec()
        .await
        .unwrap();
    let read = |id: i32| {
        db.team()
            .find_unique_or_error(team::UniqueWhere::Id(id))
            .include(team::rosters.load().order_by(roster::number.asc()).include(roster::player))
            .exec()
    };
    let names = |t: &team::Team| -> Vec<(i32, String)> {
        t.rosters().unwrap().iter().map(|r| (r.number, r.player().unwrap().name.clone())).collect()
    };
    assert_eq!(names(&read(team.id).await.unwrap()), [(9, "rookie".into()), (10, "veteran".into())]);

    // The join rows are records: updated and deleted through the relation by their key.
    let key = roster::UniqueWhere::TeamIdPlayerId { team_id: team.id, player_id: veteran.id };
    db.team()
        .update(team::UniqueWhere::Id(team.id))
        .related(team::rosters.update(key.clone(), [roster::number.set(11)]))
        .exec()
        .await
        .unwrap();
    assert_eq!(names(&read(team.id).await.unwrap())[1], (11, "veteran".into()));
    db.player()
        .update(player::UniqueWhere::Id(veteran.id))
        .related(player::rosters.delete([key]))
        .exec()
        .await
        .unwrap();
    assert_eq!(names(&read(team.id).await.unwrap()), [(9, "rookie".into())]);
}
