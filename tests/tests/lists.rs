//! PostgreSQL's scalar lists through the generated client: written whole, filtered with
//! `has`, `has_some`, `has_every` and `is_empty` (enum lists too), and JSON equality.

mod lists {
    orm_runtime::include_client!("lists");
}

use lists::{Client, Color, item};
use orm_runtime::{CreateExt, Dialect};
use orm_tests::scratch::ScratchDb;

const LISTS: &str = include_str!("../schemas/lists.orm");

#[tokio::test]
async fn scalar_list_filters_on_postgres() {
    let Some(scratch) = ScratchDb::create(Dialect::Postgres).await else { return };
    scratch.migrate(LISTS).await;
    let db = Client::connect(&scratch.url).await.unwrap();
    for (name, tags, scores, colors) in [
        ("a", vec!["rust", "sql"], vec![1, 2, 3], vec![Color::Red, Color::Blue]),
        ("b", vec!["rust"], vec![2], vec![Color::Green]),
        ("c", vec![], vec![], vec![]),
    ] {
        let create = item::Create { name: name.into() }
            .with(item::tags.set_list(tags.into_iter().map(str::to_owned).collect()))
            .with(item::scores.set_list(scores))
            .with(item::colors.set_list(colors));
        db.item().create(create).exec().await.unwrap();
    }
    let db = &db;
    let names = |filter| async move {
        let found = db.item().find_many().filter(filter).order_by(item::name.asc()).exec().await.unwrap();
        found.into_iter().map(|i| i.name).collect::<Vec<_>>()
    };
    assert_eq!(names(item::tags.has("rust")).await, ["a", "b"]);
    assert_eq!(names(item::tags.has_every(vec!["rust".into(), "sql".into()])).await, ["a"]);
    assert_eq!(names(item::scores.has_some(vec![3, 4])).await, ["a"]);
    assert_eq!(names(item::scores.has_some(vec![])).await, Vec::<String>::new());
    assert_eq!(names(item::tags.is_empty()).await, ["c"]);
    assert_eq!(names(item::colors.has(Color::Blue)).await, ["a"], "enum values by their @map");
    assert_eq!(names(item::colors.has_some(vec![Color::Green, Color::Blue])).await, ["a", "b"]);
    assert_eq!(names(!item::colors.is_empty()).await, ["a", "b"]);

    let doc = orm_runtime::serde_json::json!({"k": [1, "two", null]});
    db.item().update(item::UniqueWhere::Name("b".into())).data(item::doc.set(doc.clone())).exec().await.unwrap();
    assert_eq!(names(item::doc.equals(doc)).await, ["b"]);
}
