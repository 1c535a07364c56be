//! Relations through the generated client, on every backend: includes at any depth (each level
//! with its filter, order, skip and take) loaded with one statement per level whatever the
//! number of records, to-one and to-many, self relations both ways, implicit many-to-many;
//! relation filters (`some`, `every`, `none`, `is`, `is_not`) nested and combined; sorting by
//! a relation's count; reading a relation that wasn't loaded is an error, not a panic;
//! aggregates and `group_by` as typed tuples.

mod example {
    orm_runtime::include_client!("example");
}

use orm_runtime::{CreateExt, Dialect, Error, and, not, or};
use orm_tests::scratch::ScratchDb;
use orm_tests::statements::Statements;

use example::{Client, PostStatus, comment, post, profile, tag, user};

const EXAMPLE: &str = include_str!("../../schema.example.orm");

macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Postgres).await } )* }
        mod mysql { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Mysql).await } )* }
    };
}

on_every_backend!(
    includes_cost_one_statement_per_level,
    to_one_many_to_many_and_self_relations,
    relation_filters,
    sorting_by_a_relation_count,
    unloaded_relations_are_errors,
    aggregates_and_groups,
    relation_counts,
    selects_and_cursors,
    selecting_relations_and_omitting_fields,
    includes_over_more_parents_than_any_bind_limit,
    included_records_are_the_records_read,
    connecting_and_disconnecting_related_records,
);

/// The blog: alice (2 published posts, 1 draft), bob (1 published), carol (none). Comments on
/// alice's first post by bob and carol, a reply by alice; tags rust and sql; alice follows bob
/// and carol, bob follows alice.
struct Blog {
    _scratch: ScratchDb,
    db: Client,
    dialect: Dialect,
    alice: user::User,
    bob: user::User,
    carol: user::User,
    posts: Vec<post::Post>,
}

async fn blog(dialect: Dialect) -> Option<Blog> {
    let scratch = ScratchDb::create(dialect).await?;
    scratch.migrate(EXAMPLE).await;
    let db = Client::connect(&scratch.url).await.unwrap();
    let person = |email: &str, name: &str| {
        db.user().create(user::Create { email: email.into() }.with(user::name.set(name))).exec()
    };
    let alice = person("alice@x.io", "Alice").await.unwrap();
    let bob = person("bob@x.io", "Bob").await.unwrap();
    let carol = person("carol@x.io", "Carol").await.unwrap();
    db.profile()
        .create(profile::Create { user: alice.id.into() }.with(profile::bio.set("Writes about Rust")))
        .exec()
        .await
        .unwrap();
    let mut posts = Vec::new();
    for (author, slug, status, views) in [
        (&alice, "a1", PostStatus::Published, 100),
        (&alice, "a2", PostStatus::Published, 300),
        (&alice, "a3", PostStatus::Draft, 0),
        (&bob, "b1", PostStatus::Published, 50),
    ] {
        let create = post::Create {
            title: format!("Post {slug}"),
            slug: slug.into(),
            body: "…".into(),
            author: author.id.into(),
        };
        let p =
            db.post().create(create.with(post::status.set(status))).data(post::views.set(views)).exec().await.unwrap();
        posts.push(p);
    }
    let comment = |body: &str, post: &post::Post, author: Option<&user::User>, parent: Option<i32>| {
        let mut create =
            comment::Create { body: body.into(), post: post.id.clone().into() }.with(comment::author_id.set_null());
        if let Some(a) = author {
            create = create.with(comment::author_id.set(a.id));
        }
        if let Some(p) = parent {
            create = create.with(comment::parent_id.set(p));
        }
        db.comment().create(create).exec()
    };
    let by_bob = comment("Nice", &posts[0], Some(&bob), None).await.unwrap();
    comment("Agreed", &posts[0], Some(&carol), None).await.unwrap();
    comment("Thanks!", &posts[0], Some(&alice), Some(by_bob.id)).await.unwrap();
    comment("Anonymous", &posts[3], None, None).await.unwrap();
    let rust = db.tag().create(tag::Create { name: "rust".into() }).exec().await.unwrap();
    let sql = db.tag().create(tag::Create { name: "sql".into() }).exec().await.unwrap();
    // Implicit many-to-many rows, by nested writes (both directions).
    let tag = |name: &str| tag::UniqueWhere::Name(name.into());
    let slug = |p: &post::Post| post::UniqueWhere::Slug(p.slug.clone());
    db.post().update(slug(&posts[0])).related(post::tags.connect([tag("rust"), tag("sql")])).exec().await.unwrap();
    db.tag().update(tag::UniqueWhere::Id(rust.id)).related(tag::posts.connect([slug(&posts[1])])).exec().await.unwrap();
    db.tag().update(tag::UniqueWhere::Id(sql.id)).related(tag::posts.connect([slug(&posts[3])])).exec().await.unwrap();
    let blog = Blog { _scratch: scratch, db, dialect, alice, bob, carol, posts };
    // `_Follows`: A follows B.
    for (a, b) in [(blog.alice.id, blog.bob.id), (blog.alice.id, blog.carol.id), (blog.bob.id, blog.alice.id)] {
        blog.join_row_ints("_Follows", a, b).await;
    }
    Some(blog)
}

impl Blog {
    fn insert_sql(&self, table: &str) -> String {
        let (a, b) = match self.dialect {
            Dialect::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        let q = |n: &str| self.dialect.quote_identifier(n);
        format!("INSERT INTO {} ({}, {}) VALUES ({a}, {b})", q(table), q("A"), q("B"))
    }

    async fn join_row_ints(&self, table: &str, a: i32, b: i32) {
        self.db.raw(self.insert_sql(table)).bind(a).bind(b).execute().await.unwrap();
    }
}

/// What an include of `per_level` statements (the parents' included) costs on `dialect`: that
/// many elsewhere, one on SQLite, which reads the related records inside the parents'
/// statement when the schema indexes every relation of the tree on the related side.
fn levels(dialect: Dialect, per_level: usize) -> usize {
    if dialect == Dialect::Sqlite { 1 } else { per_level }
}

/// The same for a tree with a relation the schema doesn't index on the related side
/// (`Post.comments`, `User.comments`: no `@@index` on `Comment.postId` or `authorId`): one
/// statement per level on SQLite too, not one correlated scan per parent row.
fn unindexed_levels(per_level: usize) -> usize {
    per_level
}

fn titles(posts: &[post::Post]) -> Vec<&str> {
    posts.iter().map(|p| p.slug.as_str()).collect()
}

async fn includes_cost_one_statement_per_level(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let statements = Statements::count();
    let users = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(
            user::posts
                .load()
                .filter(post::status.equals(PostStatus::Published))
                .order_by(post::views.desc())
                .include(post::comments.load().order_by(comment::id.asc()).include(comment::author))
                .include(post::tags.load().order_by(tag::name.asc())),
        )
        .include(user::profile)
        .exec()
        .await
        .unwrap();
    // users, posts, comments, comment authors, tags, profiles.
    assert_eq!(statements.take(), unindexed_levels(6), "one statement per relation level");
    assert_eq!(users.len(), 3);
    let alice = &users[0];
    assert_eq!(titles(alice.posts().unwrap()), ["a2", "a1"], "published only, most viewed first");
    assert_eq!(titles(users[1].posts().unwrap()), ["b1"]);
    assert!(users[2].posts().unwrap().is_empty());
    let first = &alice.posts().unwrap()[1];
    let comments = first.comments().unwrap();
    assert_eq!(comments.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Nice", "Agreed", "Thanks!"]);
    let authors: Vec<Option<&str>> = comments.iter().map(|c| c.author().unwrap().map(|a| a.email.as_str())).collect();
    assert_eq!(authors, [Some("bob@x.io"), Some("carol@x.io"), Some("alice@x.io")]);
    assert_eq!(first.tags().unwrap().iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["rust", "sql"]);
    assert_eq!(alice.profile().unwrap().and_then(|p| p.bio.as_deref()), Some("Writes about Rust"));
    assert!(users[1].profile().unwrap().is_none());

    // Skip and take apply per record.
    let users = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(user::posts.load().order_by(post::views.desc()).skip(1).take(1))
        .exec()
        .await
        .unwrap();
    assert_eq!(statements.take(), levels(dialect, 2));
    assert_eq!(titles(users[0].posts().unwrap()), ["a1"]);
    assert!(users[1].posts().unwrap().is_empty(), "bob has one post; skipping one leaves none");

    // A thousand records, still one statement per level.
    let many: Vec<user::Create> = (0..1_000).map(|i| user::Create { email: format!("u{i}@x.io") }).collect();
    db.user().create_many(many).exec().await.unwrap();
    statements.take();
    let all = db.user().find_many().include(user::posts).include(user::comments).exec().await.unwrap();
    assert_eq!(all.len(), 1_003);
    assert_eq!(statements.take(), unindexed_levels(3), "1,003 users: users, posts, comments");
    let all = db.user().find_many().include(user::posts).include(user::profile).exec().await.unwrap();
    assert_eq!(all.len(), 1_003);
    assert_eq!(statements.take(), levels(dialect, 3), "1,003 users: users, posts, profiles (indexed)");
    assert_eq!(all.iter().map(|u| u.posts().unwrap().len()).sum::<usize>(), 4);

    // Includes on find_unique and find_first; loaded relations serialize, others don't.
    let found = db
        .post()
        .find_unique(post::UniqueWhere::Slug("a1".into()))
        .include(post::author)
        .exec()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.author().unwrap().email, "alice@x.io");
    let json = orm_runtime::serde_json::to_value(&found).unwrap();
    assert_eq!(json["author"]["email"], "alice@x.io");
    assert!(json.get("comments").is_none(), "{json}");
    let first = db.comment().find_first().filter(comment::author_id.is_null()).include(comment::author).exec().await;
    assert!(first.unwrap().unwrap().author().unwrap().is_none());
}

async fn to_one_many_to_many_and_self_relations(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    // Many-to-many, from the other side.
    let tags =
        db.tag().find_many().order_by(tag::name.asc()).include(tag::posts.load().order_by(post::slug.asc())).exec();
    let tags = tags.await.unwrap();
    assert_eq!(titles(tags[0].posts().unwrap()), ["a1", "a2"]);
    assert_eq!(titles(tags[1].posts().unwrap()), ["a1", "b1"]);

    // A self many-to-many, both ways: `following` and `followers`.
    let users = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(user::following.load().order_by(user::id.asc()))
        .include(user::followers.load().order_by(user::id.asc()))
        .exec()
        .await
        .unwrap();
    let emails = |users: &[user::User]| users.iter().map(|u| u.email.clone()).collect::<Vec<_>>();
    assert_eq!(emails(users[0].following().unwrap()), ["bob@x.io", "carol@x.io"]);
    assert_eq!(emails(users[0].followers().unwrap()), ["bob@x.io"]);
    assert_eq!(emails(users[1].followers().unwrap()), ["alice@x.io"]);
    assert_eq!(emails(users[2].followers().unwrap()), ["alice@x.io"]);
    assert!(users[2].following().unwrap().is_empty());

    // A self one-to-many, both ways, and a one-to-one from the side without the key.
    let comments = db
        .comment()
        .find_many()
        .filter(comment::post_id.equals(blog.posts[0].id.clone()))
        .order_by(comment::id.asc())
        .include(comment::replies)
        .include(comment::parent.load().include(comment::post))
        .exec()
        .await
        .unwrap();
    assert_eq!(comments[0].replies().unwrap().iter().map(|c| c.body.as_str()).collect::<Vec<_>>(), ["Thanks!"]);
    assert!(comments[0].parent().unwrap().is_none());
    let parent = comments[2].parent().unwrap().expect("a reply has a parent");
    assert_eq!(parent.body, "Nice");
    assert_eq!(parent.post().unwrap().slug, "a1");
    let profile = db.profile().find_first().include(profile::user.load().include(user::profile)).exec().await;
    let profile = profile.unwrap().unwrap();
    let owner = profile.user().unwrap();
    assert_eq!(owner.email, "alice@x.io");
    assert_eq!(owner.profile().unwrap().map(|p| p.id), Some(profile.id), "back to where it started");
}

async fn relation_filters(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let emails = |users: Vec<user::User>| users.into_iter().map(|u| u.email).collect::<Vec<_>>();
    let users = |filter| db.user().find_many().filter(filter).order_by(user::id.asc()).exec();

    let popular = users(user::posts.some(post::views.gte(200))).await.unwrap();
    assert_eq!(emails(popular), ["alice@x.io"]);
    let all_published = users(user::posts.every(post::status.equals(PostStatus::Published))).await.unwrap();
    assert_eq!(emails(all_published), ["bob@x.io", "carol@x.io"], "every holds without posts too");
    let no_drafts = users(user::posts.none(post::status.equals(PostStatus::Draft))).await.unwrap();
    assert_eq!(emails(no_drafts), ["bob@x.io", "carol@x.io"]);
    let everyone = users(user::posts.every(and([]))).await.unwrap();
    assert_eq!(everyone.len(), 3, "every related record matches an empty filter");
    // A related record whose condition is unknown (a null author) doesn't match it.
    let all_by_bob = db
        .post()
        .find_many()
        .filter(post::comments.every(comment::author_id.equals(blog.bob.id)))
        .order_by(post::slug.asc())
        .exec();
    assert_eq!(titles(&all_by_bob.await.unwrap()), ["a2", "a3"], "b1's anonymous comment isn't bob's");
    let writers = users(user::posts.exists()).await.unwrap();
    assert_eq!(emails(writers), ["alice@x.io", "bob@x.io"]);

    // Nested through two relations: users with a post that bob commented on.
    let commented_by_bob =
        users(user::posts.some(post::comments.some(comment::author.is(user::email.equals("bob@x.io")))));
    assert_eq!(emails(commented_by_bob.await.unwrap()), ["alice@x.io"]);
    // Through a many-to-many, combined with scalar filters and and/or/not.
    let combined = users(or([
        and([user::posts.some(post::tags.some(tag::name.equals("sql"))), user::name.equals("Bob")]),
        not(user::posts.exists()),
    ]));
    assert_eq!(emails(combined.await.unwrap()), ["bob@x.io", "carol@x.io"]);
    // A self many-to-many: followed by bob.
    let followed = users(user::followers.some(user::email.equals("bob@x.io"))).await.unwrap();
    assert_eq!(emails(followed), ["alice@x.io"]);

    // To-one: is, is_not, is_null.
    let comments = |filter| db.comment().find_many().filter(filter).order_by(comment::id.asc()).exec();
    let bodies = |c: Vec<comment::Comment>| c.into_iter().map(|c| c.body).collect::<Vec<_>>();
    assert_eq!(bodies(comments(comment::author.is(user::name.equals("Carol"))).await.unwrap()), ["Agreed"]);
    assert_eq!(
        bodies(comments(comment::author.is_not(user::name.equals("Carol"))).await.unwrap()),
        ["Nice", "Thanks!", "Anonymous"],
        "is_not keeps those without an author"
    );
    assert_eq!(bodies(comments(comment::author.is_null()).await.unwrap()), ["Anonymous"]);
    // A self one-to-many: comments that have a reply, replies to bob.
    assert_eq!(bodies(comments(comment::replies.exists()).await.unwrap()), ["Nice"]);
    let replies_to_bob = comments(comment::parent.is(comment::author.is(user::email.equals("bob@x.io"))));
    assert_eq!(bodies(replies_to_bob.await.unwrap()), ["Thanks!"]);

    // Relation filters in count, update_many and delete_many.
    assert_eq!(db.post().count().filter(post::tags.some(tag::name.equals("rust"))).exec().await.unwrap(), 2);
    let updated = db
        .post()
        .update_many()
        .filter(post::author.is(user::email.equals("alice@x.io")))
        .data(post::views.increment(1))
        .exec()
        .await
        .unwrap();
    assert_eq!(updated, 3);
    let deleted = db.comment().delete_many().filter(comment::author.is_null()).exec().await.unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(db.comment().count().exec().await.unwrap(), 3);
    // Filters through a self relation read the table being written (MySQL refuses that in one
    // statement unless the matching keys are taken first).
    let renamed = db
        .user()
        .update_many()
        .filter(user::followers.some(user::email.equals("bob@x.io")))
        .data(user::name.set("Followed by Bob"))
        .exec()
        .await
        .unwrap();
    assert_eq!(renamed, 1);
    let returned = db
        .user()
        .update_many_and_return()
        .filter(user::following.some(user::name.equals("Followed by Bob")))
        .data(user::name.set("Follows Alice"))
        .exec()
        .await
        .unwrap();
    assert_eq!(returned.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["bob@x.io"]);
    let unanswered = db.comment().delete_many().filter(comment::parent.is(comment::replies.exists()));
    assert_eq!(unanswered.exec().await.unwrap(), 1, "the reply to a comment that has replies");
    assert_eq!(db.comment().count().exec().await.unwrap(), 2);
    let _ = (&blog.bob, &blog.carol);
}

async fn sorting_by_a_relation_count(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let by_posts = db.user().find_many().order_by(user::posts.count().desc()).order_by(user::id.asc()).exec();
    let emails: Vec<String> = by_posts.await.unwrap().into_iter().map(|u| u.email).collect();
    assert_eq!(emails, ["alice@x.io", "bob@x.io", "carol@x.io"]);
    let by_tags = db.post().find_many().order_by(post::tags.count().desc()).order_by(post::slug.asc()).take(2).exec();
    assert_eq!(titles(&by_tags.await.unwrap()), ["a1", "a2"]);
    // In an include's order too.
    let alice = db
        .user()
        .find_unique(user::UniqueWhere::Email("alice@x.io".into()))
        .include(user::posts.load().order_by(post::comments.count().desc()).take(1))
        .exec()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(titles(alice.posts().unwrap()), ["a1"]);
}

async fn unloaded_relations_are_errors(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let alice = blog.db.user().find_unique(user::UniqueWhere::Id(blog.alice.id)).exec().await.unwrap().unwrap();
    let e = alice.posts().unwrap_err();
    assert!(matches!(e, Error::NotLoaded { model: "User", relation: "posts" }), "{e:?}");
    assert!(e.to_string().contains("`User.posts` was not loaded"), "{e}");
    let post = &blog.posts[0];
    assert!(matches!(post.author(), Err(Error::NotLoaded { relation: "author", .. })));
    assert!(matches!(post.tags(), Err(Error::NotLoaded { .. })));
}

async fn aggregates_and_groups(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let (count, sum, avg, min, max) = db
        .post()
        .aggregate()
        .count()
        .sum(post::views)
        .avg(post::views)
        .min(post::views)
        .max(post::slug)
        .exec()
        .await
        .unwrap();
    assert_eq!((count, sum, min, max.as_deref()), (4, Some(450), Some(0), Some("b1")));
    assert_eq!(avg, Some(112.5));
    // Over a filter (a relation filter too), and over nothing.
    let (count, sum) = db
        .post()
        .aggregate()
        .filter(post::author.is(user::email.equals("alice@x.io")))
        .count()
        .sum(post::views)
        .exec()
        .await
        .unwrap();
    assert_eq!((count, sum), (3, Some(400)));
    let nothing = db.post().aggregate().filter(post::views.gt(1_000)).count().sum(post::rating).avg(post::price);
    assert_eq!(nothing.exec().await.unwrap(), (0, None, None));

    // Groups, with having and ordering by an aggregate.
    let groups = db
        .post()
        .group_by((post::author_id, post::status))
        .count()
        .sum(post::views)
        .order_by(post::views.sum().desc())
        .exec()
        .await
        .unwrap();
    let alice = blog.alice.id;
    let bob = blog.bob.id;
    assert_eq!(
        groups,
        [
            ((alice, PostStatus::Published), (2, Some(400))),
            ((bob, PostStatus::Published), (1, Some(50))),
            ((alice, PostStatus::Draft), (1, Some(0))),
        ]
    );
    let busy = db
        .post()
        .group_by((post::status,))
        .count()
        .having(post::views.sum().gt(100_i64))
        .order_by(post::status.asc())
        .exec()
        .await
        .unwrap();
    assert_eq!(busy, [((PostStatus::Published,), (3,))]);
    let e = db.post().aggregate().exec().await.unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
}

async fn relation_counts(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let statements = Statements::count();
    let users = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(user::posts.count())
        .include(user::followers.count())
        .exec()
        .await
        .unwrap();
    assert_eq!(statements.take(), levels(dialect, 3), "one statement per count, whatever the number of users");
    let _ = blog.carol.id;
    let counts: Vec<(u64, u64)> =
        users.iter().map(|u| (u._count.get(user::posts).unwrap(), u._count.get(user::followers).unwrap())).collect();
    assert_eq!(counts, [(3, 1), (1, 1), (0, 1)]);
    let e = users[0]._count.get(user::comments).unwrap_err();
    assert!(matches!(e, Error::NotLoaded { relation: "comments", .. }), "{e:?}");
    let json = orm_runtime::serde_json::to_value(&users[0]).unwrap();
    assert_eq!(json["_count"]["posts"], 3, "{json}");
    let drafts = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(user::posts.count().filter(post::status.equals(PostStatus::Draft)));
    let drafts: Vec<u64> = drafts.exec().await.unwrap().iter().map(|u| u._count.get(user::posts).unwrap()).collect();
    assert_eq!(drafts, [1, 0, 0]);
    // Counting with a filter, through a nested include: posts with their comment counts.
    let posts = db
        .post()
        .find_many()
        .order_by(post::slug.asc())
        .include(post::comments.count().filter(comment::author.exists()))
        .include(post::tags.count())
        .exec()
        .await
        .unwrap();
    let counts: Vec<(u64, u64)> =
        posts.iter().map(|p| (p._count.get(post::comments).unwrap(), p._count.get(post::tags).unwrap())).collect();
    assert_eq!(counts, [(3, 2), (0, 1), (0, 0), (0, 1)], "b1's only comment has no author");
    // Sorting by a filtered count.
    let by_drafts = db
        .user()
        .find_many()
        .order_by(user::posts.count().filter(post::status.equals(PostStatus::Draft)).desc())
        .order_by(user::id.desc())
        .take(1)
        .exec();
    assert_eq!(by_drafts.await.unwrap()[0].email, "alice@x.io");
}

async fn selects_and_cursors(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    // Typed subsets of fields, with filters (relation filters too) and order.
    let rows = db
        .post()
        .find_many()
        .filter(post::author.is(user::name.equals("Alice")))
        .order_by(post::views.desc())
        .select((post::slug, post::views, post::status))
        .exec()
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            ("a2".to_owned(), 300, PostStatus::Published),
            ("a1".into(), 100, PostStatus::Published),
            ("a3".into(), 0, PostStatus::Draft)
        ]
    );
    // Distinct on fields: each author's most read post; skip and take count distinct records.
    let best = |skip: u64, take: u64| {
        db.post().find_many().order_by(post::views.desc()).distinct((post::author_id,)).skip(skip).take(take).exec()
    };
    assert_eq!(titles(&best(0, 10).await.unwrap()), ["a2", "b1"]);
    assert_eq!(titles(&best(1, 1).await.unwrap()), ["b1"]);
    let firsts =
        db.post().find_many().order_by(post::slug.asc()).distinct((post::status,)).select((post::slug,)).exec();
    let e = firsts.await.unwrap_err();
    assert!(matches!(e, Error::Validation(_)), "distinct fields must be selected: {e:?}");
    let statuses = db.post().find_many().order_by(post::status.asc()).select((post::status,)).distinct().exec();
    assert_eq!(statuses.await.unwrap(), [(PostStatus::Draft,), (PostStatus::Published,)]);
    let one = db.user().find_unique(user::UniqueWhere::Email("bob@x.io".into())).select((user::id, user::name)).exec();
    assert_eq!(one.await.unwrap(), Some((blog.bob.id, Some("Bob".to_owned()))));
    let none = db.user().find_first().filter(user::email.equals("nobody")).select((user::id,)).exec().await.unwrap();
    assert_eq!(none, None);

    // Cursor pagination, forwards and backwards, by a field with ties broken by the key.
    let page = |cursor: &str, skip: u64| {
        db.post()
            .find_many()
            .order_by(post::status.desc())
            .cursor(post::UniqueWhere::Slug(cursor.into()))
            .skip(skip)
            .take(2)
            .select((post::slug,))
            .exec()
    };
    let slugs = |rows: Vec<(String,)>| rows.into_iter().map(|(s,)| s).collect::<Vec<_>>();
    // PUBLISHED sorts after DRAFT; ties by the id (a uuid), so compare against the full order.
    let full: Vec<String> = {
        let all = db.post().find_many().order_by(post::status.desc()).order_by(post::id.asc()).select((post::slug,));
        slugs(all.exec().await.unwrap())
    };
    assert_eq!(full.len(), 4);
    assert_eq!(slugs(page(&full[1], 0).await.unwrap()), full[1..3], "the cursor record and the one after");
    assert_eq!(slugs(page(&full[1], 1).await.unwrap()), full[2..4], "skip 1 leaves the cursor out");
    assert!(page("missing", 0).await.unwrap().is_empty(), "a cursor naming no record gives no page");
    let before = db
        .post()
        .find_many()
        .order_by(post::status.desc())
        .cursor(post::UniqueWhere::Slug(full[2].clone()))
        .take_last(2)
        .select((post::slug,))
        .exec();
    assert_eq!(slugs(before.await.unwrap()), full[1..3], "backwards, up to and including the cursor, in order");
    // Pages of one, each after the last one's record, add up to the whole table.
    let mut seen: Vec<String> = Vec::new();
    let first = db.post().find_many().order_by(post::status.desc()).order_by(post::id.asc()).take(1);
    let mut next = first.select((post::slug,)).exec().await.unwrap();
    while let Some((slug,)) = next.pop() {
        seen.push(slug.clone());
        next = page(&slug, 1).await.unwrap();
        next.truncate(1);
    }
    assert_eq!(seen, full);
    let last = db.post().find_many().order_by(post::views.asc()).take_last(1).select((post::slug,)).exec();
    assert_eq!(slugs(last.await.unwrap()), ["a2"]);
    let e =
        db.post().find_many().order_by(post::rating.asc()).cursor(post::UniqueWhere::Slug("a1".into())).exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "a nullable cursor key is refused: {e:?}");
    let newest = db.user().find_many().take_last(1).exec().await.unwrap();
    assert_eq!(newest[0].email, "carol@x.io", "without an order, the last by primary key");
    let e = db.post().find_many().order_by(post::views.asc()).select((post::status,)).distinct().exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "SELECT DISTINCT can't sort by an unselected field: {e:?}");
    let last_per_author =
        db.post().find_many().order_by(post::views.asc()).distinct((post::author_id,)).take_last(1).exec();
    assert_eq!(titles(&last_per_author.await.unwrap()), ["b1"], "distinct first, then the last one");
    let e = db.user().find_many().order_by(user::posts.count().desc()).cursor(user::UniqueWhere::Id(1)).exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "{e:?}");
}

/// `select` names relations and counts beside fields, typed as tuples, one statement per
/// relation level; `omit` reads everything else, and an omitted field is an error to read.
async fn selecting_relations_and_omitting_fields(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let statements = Statements::count();
    let rows: Vec<(String, Vec<post::Post>, Option<profile::Profile>, u64)> = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .select((
            user::email,
            user::posts.load().order_by(post::views.desc()).take(2).include(post::comments.load()),
            user::profile,
            user::comments.count(),
        ))
        .exec()
        .await
        .unwrap();
    // users, posts, their comments, profiles, comment counts.
    assert_eq!(statements.take(), 5, "one statement per relation level");
    let emails: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(emails, ["alice@x.io", "bob@x.io", "carol@x.io"]);
    assert_eq!(titles(&rows[0].1), ["a2", "a1"]);
    assert_eq!(rows[0].1[1].comments().unwrap().len(), 3, "nested includes load inside a selection");
    assert_eq!(titles(&rows[1].1), ["b1"]);
    assert!(rows[2].1.is_empty());
    assert_eq!(rows[0].2.as_ref().and_then(|p| p.bio.as_deref()), Some("Writes about Rust"));
    assert!(rows[1].2.is_none());
    assert_eq!((rows[0].3, rows[1].3, rows[2].3), (1, 1, 1), "each wrote one comment");
    // A to-one relation of a single record, without reading the foreign key's field.
    let one = db
        .post()
        .find_unique(post::UniqueWhere::Slug("b1".into()))
        .select((post::title, post::author, post::tags.count()))
        .exec()
        .await
        .unwrap();
    let (title, author, tags) = one.unwrap();
    assert_eq!(
        (title.as_str(), author.map(|a| a.email), tags),
        ("Post b1", Some("bob@x.io".to_owned()), 1),
        "b1 has the sql tag"
    );
    let e = db.user().find_many().select((user::email, user::posts)).distinct().exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "SELECT DISTINCT compares fields only: {e:?}");
    let e = db.user().find_many().include(user::posts).select((user::email,)).exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "a selection names its relations: {e:?}");

    // omit: every other field, by field.
    let users = db.user().find_many().order_by(user::id.asc()).omit((user::email, user::role)).exec().await.unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(users[0].get(user::name).unwrap().as_deref(), Some("Alice"));
    assert_eq!(users[0].get(user::id).unwrap(), blog.alice.id);
    assert!(!users[0].has(user::email) && users[0].has(user::created_at));
    let e = users[0].get(user::email).unwrap_err();
    assert!(matches!(e, Error::Omitted { model: "User", field: "email" }), "{e:?}");
    assert!(e.to_string().contains("omit"), "{e}");
    let everything = (user::id, user::email, user::name, user::role, user::created_at, user::updated_at);
    let e = db.user().find_many().omit(everything).exec().await;
    assert!(matches!(e, Err(Error::Validation(_))), "omitting every field leaves nothing to read: {e:?}");
    let carol = db.user().find_unique(user::UniqueWhere::Id(blog.carol.id)).omit((user::name,)).exec();
    assert_eq!(carol.await.unwrap().unwrap().get(user::email).unwrap(), "carol@x.io");
}

/// 100,000 parents: more keys than SQLite (32,766) or MySQL (65,535) bind in one statement, so
/// their keys go in a few statements there (one array on PostgreSQL), and every record still
/// gets its own related record. SQLite reads an include inside the parents' statement, so a
/// selection of the relation (loaded per level everywhere) is what crosses its bind limit.
async fn includes_over_more_parents_than_any_bind_limit(dialect: Dialect) {
    let Some(scratch) = ScratchDb::create(dialect).await else { return };
    scratch.migrate(EXAMPLE).await;
    let db = Client::connect(&scratch.url).await.unwrap();
    const N: usize = 100_000;
    db.user().create_many((0..N).map(|i| user::Create { email: format!("{i}@x.io") })).exec().await.unwrap();
    let ids = db.user().find_many().select((user::id, user::email)).exec().await.unwrap();
    let profiles =
        ids.iter().map(|(id, email)| profile::Create { user: (*id).into() }.with(profile::bio.set(email.clone())));
    db.profile().create_many(profiles).exec().await.unwrap();
    let statements = Statements::count();
    let users = db.user().find_many().include(user::profile).exec().await.unwrap();
    let expected = match dialect {
        Dialect::Postgres => 2,
        Dialect::Mysql => 3,
        Dialect::Sqlite => 1,
    };
    assert_eq!(statements.take(), expected, "the users, then their keys in as few statements as the bind limit allows");
    assert_eq!(users.len(), N);
    for u in &users {
        let bio = u.profile().unwrap().and_then(|p| p.bio.as_deref());
        assert_eq!(bio, Some(u.email.as_str()), "user {} got another's profile", u.id);
    }
    let picked = db.user().find_many().select((user::email, user::profile)).exec().await.unwrap();
    let expected = match dialect {
        Dialect::Postgres => 2,
        Dialect::Mysql => 3,
        Dialect::Sqlite => 5,
    };
    assert_eq!(statements.take(), expected, "a selection's relation goes per level on every backend");
    assert_eq!(picked.len(), N);
    for (email, profile) in &picked {
        assert_eq!(profile.as_ref().and_then(|p| p.bio.as_deref()), Some(email.as_str()));
    }
}

/// An included record is the record its own model's query reads, whatever its fields hold
/// (SQLite hands included rows back through JSON: bytes, decimals, date-times, JSON, floats,
/// big integers, enums and hostile text must come back the same).
async fn included_records_are_the_records_read(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let at = orm_runtime::chrono::DateTime::from_timestamp_millis(1_709_209_845_123).unwrap();
    db.post()
        .create(post::Create {
            title: "quote \" back\\slash ' 🦀".into(),
            slug: "every-type".into(),
            body: "[1, 2] {\"not\": \"json\"}".into(),
            author: blog.carol.id.into(),
        })
        .data(post::views.set(9_007_199_254_740_993_i64))
        .data(post::rating.set(0.1 + 0.2))
        .data(post::price.set(orm_runtime::rust_decimal::Decimal::new(123_456_789_012, 4)))
        .data(post::metadata.set(serde_json::json!({"s": "x\"y", "n": [1.5, null, true], "o": {}})))
        .data(post::published_at.set(at))
        .data(post::status.set(PostStatus::Archived))
        .exec()
        .await
        .unwrap();
    let avatar: Vec<u8> = (0..=255).collect();
    db.profile()
        .create(profile::Create { user: blog.carol.id.into() }.with(profile::avatar.set(avatar.clone())))
        .exec()
        .await
        .unwrap();
    let users = db
        .user()
        .find_many()
        .order_by(user::id.asc())
        .include(user::posts.load().order_by(post::slug.asc()).include(post::author).include(post::tags))
        .include(user::profile)
        .exec()
        .await
        .unwrap();
    for u in &users {
        let own = db.post().find_many().filter(post::author_id.equals(u.id)).order_by(post::slug.asc());
        let own = own.include(post::author).include(post::tags).exec().await.unwrap();
        assert_eq!(u.posts().unwrap(), own.as_slice(), "{}'s posts", u.email);
        let profile = db.profile().find_unique(profile::UniqueWhere::UserId(u.id)).exec().await.unwrap();
        assert_eq!(u.profile().unwrap(), profile.as_ref(), "{}'s profile", u.email);
    }
    let carol = users.iter().find(|u| u.id == blog.carol.id).unwrap();
    assert_eq!(carol.profile().unwrap().unwrap().avatar.as_deref(), Some(avatar.as_slice()));
    let post = &carol.posts().unwrap()[0];
    assert_eq!((post.views, post.published_at, post.status), (9_007_199_254_740_993, Some(at), PostStatus::Archived));
}

fn tag_names(tags: &[tag::Tag]) -> Vec<&str> {
    tags.iter().map(|t| t.name.as_str()).collect()
}

/// Nested `connect`, `disconnect` and `set` in a create or an update, over a foreign key and
/// through an implicit many-to-many table; one transaction, so a failed connect leaves nothing.
async fn connecting_and_disconnecting_related_records(dialect: Dialect) {
    let Some(blog) = blog(dialect).await else { return };
    let db = &blog.db;
    let slug = |s: &str| post::UniqueWhere::Slug(s.into());
    let tag = |name: &str| tag::UniqueWhere::Name(name.into());
    let tags_of = |s: &'static str| {
        db.post().find_unique_or_error(slug(s)).include(post::tags.load().order_by(tag::name.asc())).exec()
    };

    // A create that takes bob's post: the foreign key moves.
    let dan = db
        .user()
        .create(user::Create { email: "dan@x.io".into() }.related(user::posts.connect([slug("b1")])))
        .exec()
        .await
        .unwrap();
    let posts_of = |id: i32| db.post().find_many().filter(post::author_id.equals(id)).order_by(post::slug.asc()).exec();
    assert_eq!(titles(&posts_of(dan.id).await.unwrap()), ["b1"]);
    assert!(posts_of(blog.bob.id).await.unwrap().is_empty());

    // A connect to nothing fails with the criterion named, and the create is undone.
    let users = db.user().count().exec().await.unwrap();
    let e = db
        .user()
        .create(user::Create { email: "eve@x.io".into() })
        .related(user::posts.connect([slug("a1"), slug("missing")]))
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { model: "Post", .. }), "{e:?}");
    assert_eq!(e.to_string(), "no `Post` record matches `slug` = \"missing\", to connect through `User.posts`");
    assert_eq!(db.user().count().exec().await.unwrap(), users, "eve was not created");
    assert_eq!(titles(&posts_of(blog.alice.id).await.unwrap()), ["a1", "a2", "a3"], "a1 did not move");

    // Inside the application's own transaction, a failed nested write is undone by itself (a
    // savepoint) even when the application handles the error and commits.
    let kept: Result<(), Error> = db
        .transaction(|tx| async move {
            let e = tx
                .user()
                .create(user::Create { email: "eve@x.io".into() })
                .related(
                    user::posts.connect([post::UniqueWhere::Slug("a2".into()), post::UniqueWhere::Slug("nope".into())]),
                )
                .exec()
                .await;
            assert!(matches!(e, Err(Error::RelatedNotFound { .. })), "{e:?}");
            tx.user().create(user::Create { email: "fay@x.io".into() }).exec().await?;
            Ok(())
        })
        .await;
    kept.unwrap();
    let found = |email: &'static str| db.user().find_unique(user::UniqueWhere::Email(email.into())).exec();
    assert!(found("eve@x.io").await.unwrap().is_none(), "eve's create was rolled back to its savepoint");
    assert!(found("fay@x.io").await.unwrap().is_some());
    assert_eq!(titles(&posts_of(blog.alice.id).await.unwrap()), ["a1", "a2", "a3"], "a2 did not move");

    // A required foreign key can't be disconnected: `user::posts.disconnect` doesn't compile
    // (tests/ui/disconnect_of_a_required_relation.rs).

    // An optional one can: bob's comment loses its author; `set` keeps exactly the given ones.
    let comments =
        |id: i32| db.comment().find_many().filter(comment::author_id.equals(id)).order_by(comment::id.asc()).exec();
    let by_bob = comments(blog.bob.id).await.unwrap();
    let by_carol = comments(blog.carol.id).await.unwrap();
    let bob = user::UniqueWhere::Id(blog.bob.id);
    db.user()
        .update(bob.clone())
        .related(user::comments.disconnect([comment::UniqueWhere::Id(by_bob[0].id)]))
        .exec()
        .await
        .unwrap();
    assert!(comments(blog.bob.id).await.unwrap().is_empty());
    let ids = |cs: &[comment::Comment]| cs.iter().map(|c| c.id).collect::<Vec<_>>();
    let set = user::comments.set(by_carol.iter().map(|c| comment::UniqueWhere::Id(c.id)));
    db.user().update(bob).data(user::name.set("Robert")).related(set).exec().await.unwrap();
    assert_eq!(ids(&comments(blog.bob.id).await.unwrap()), ids(&by_carol), "carol's comments are bob's now");

    // Many-to-many: set, connect (already connected ones are kept), disconnect, both sides.
    let a1 = || db.post().update(slug("a1"));
    a1().related(post::tags.set([tag("sql")])).exec().await.unwrap();
    assert_eq!(tag_names(tags_of("a1").await.unwrap().tags().unwrap()), ["sql"]);
    a1().related(post::tags.connect([tag("rust"), tag("sql")])).exec().await.unwrap();
    assert_eq!(tag_names(tags_of("a1").await.unwrap().tags().unwrap()), ["rust", "sql"]);
    db.tag().update(tag("rust")).related(tag::posts.disconnect([slug("a1"), slug("missing")])).exec().await.unwrap();
    assert_eq!(
        tag_names(tags_of("a1").await.unwrap().tags().unwrap()),
        ["sql"],
        "disconnecting what isn't there is no error"
    );
    a1().related(post::tags.set([])).exec().await.unwrap();
    assert!(tags_of("a1").await.unwrap().tags().unwrap().is_empty());
    // A failure in a later nested write undoes the earlier ones and the update itself.
    let e = a1()
        .data(post::title.set("Changed"))
        .related(post::tags.connect([tag("rust")]))
        .related(post::tags.connect([tag("nope")]))
        .exec()
        .await
        .unwrap_err();
    assert!(matches!(&e, Error::RelatedNotFound { model: "Tag", .. }), "{e:?}");
    let a1 = tags_of("a1").await.unwrap();
    assert_eq!((a1.title.as_str(), a1.tags().unwrap().len()), ("Post a1", 0));
}
