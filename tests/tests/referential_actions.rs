//! Referential actions (`onDelete` / `onUpdate`: Cascade, Restrict, NoAction, SetNull,
//! SetDefault) behave as the schema says, on every backend: kept by the database's foreign
//! keys (`schemas/actions.orm`), and carried out by the client under `relationMode = "prisma"`
//! (`schemas/actions_emulated.orm`), where the database has none.

mod actions {
    orm_runtime::include_client!("actions");
}
mod actions_emulated {
    orm_runtime::include_client!("actions_emulated");
}

use orm_runtime::{Dialect, Error};
use orm_tests::scratch::ScratchDb;

macro_rules! scenario {
    ($name:ident, $client:ident, $schema:literal, $set_default:expr) => {
        async fn $name(dialect: Dialect) {
            use $client::{Client, cascading, label, leaf, no_acting, owner, restricting, setting_null};
            let Some(scratch) = ScratchDb::create(dialect).await else { return };
            scratch.migrate(include_str!($schema)).await;
            let db = Client::connect(&scratch.url).await.unwrap();
            let owner = |id: i32| db.owner().create(owner::Create { id, name: format!("o{id}") }).exec();
            for id in [1, 2, 3, 4] {
                owner(id).await.unwrap();
            }
            let cascading = db.cascading().create(cascading::Create { owner: 1.into() }).exec().await.unwrap();
            for _ in 0..2 {
                db.leaf().create(leaf::Create { cascading: cascading.id.into() }).exec().await.unwrap();
            }
            let set_null = || {
                db.setting_null()
                    .create(orm_runtime::CreateExt::with(setting_null::Create {}, setting_null::owner_id.set(1)))
            };
            let nulled = set_null().exec().await.unwrap();
            db.label()
                .create(orm_runtime::CreateExt::related(
                    label::Create { name: "l".into() },
                    label::owners.connect([owner::UniqueWhere::Id(1)]),
                ))
                .exec()
                .await
                .unwrap();

            // Cascade (two levels), SetNull and the join rows of a many-to-many relation.
            db.owner().delete(owner::UniqueWhere::Id(1)).exec().await.unwrap();
            assert_eq!(db.cascading().count().exec().await.unwrap(), 0);
            assert_eq!(db.leaf().count().exec().await.unwrap(), 0, "the cascade reached the leaves");
            let nulled = db.setting_null().find_unique_or_error(setting_null::UniqueWhere::Id(nulled.id)).exec().await;
            assert_eq!(nulled.unwrap().owner_id, None);
            let label = db.label().find_first().include(label::owners).exec().await.unwrap().unwrap();
            assert!(label.owners().unwrap().is_empty(), "the join row went with its owner");

            // Restrict and NoAction refuse while a record points at the owner.
            let restricting = db.restricting().create(restricting::Create { owner: 2.into() }).exec().await.unwrap();
            db.no_acting().create(no_acting::Create { owner: 2.into() }).exec().await.unwrap();
            let e = db.owner().delete(owner::UniqueWhere::Id(2)).exec().await.unwrap_err();
            assert!(matches!(e, Error::ForeignKeyViolation { .. }), "{e:?}");
            db.restricting().delete(restricting::UniqueWhere::Id(restricting.id)).exec().await.unwrap();
            let e = db.owner().delete_many().filter(owner::id.equals(2)).exec().await.unwrap_err();
            assert!(matches!(e, Error::ForeignKeyViolation { .. }), "{e:?}");
            db.no_acting().delete_many().exec().await.unwrap();
            assert_eq!(db.owner().delete_many().filter(owner::id.equals(2)).exec().await.unwrap(), 1);

            // onUpdate: Cascade follows the new key, SetNull lets go, Restrict refuses.
            let cascading = db.cascading().create(cascading::Create { owner: 3.into() }).exec().await.unwrap();
            let nulled = set_null().data(setting_null::owner_id.set(3)).exec().await.unwrap();
            db.owner().update(owner::UniqueWhere::Id(3)).data(owner::id.set(30)).exec().await.unwrap();
            let moved = db.cascading().find_unique_or_error(cascading::UniqueWhere::Id(cascading.id)).exec().await;
            assert_eq!(moved.unwrap().owner_id, 30);
            let nulled = db.setting_null().find_unique_or_error(setting_null::UniqueWhere::Id(nulled.id)).exec().await;
            assert_eq!(nulled.unwrap().owner_id, None);
            db.restricting().create(restricting::Create { owner: 4.into() }).exec().await.unwrap();
            let e =
                db.owner().update_many().filter(owner::id.equals(4)).data(owner::id.set(40)).exec().await.unwrap_err();
            assert!(matches!(e, Error::ForeignKeyViolation { .. }), "{e:?}");
            assert_eq!(db.owner().count().filter(owner::id.equals(4)).exec().await.unwrap(), 1, "nothing changed");
            $set_default(&db, dialect).await;
        }
    };
}

scenario!(kept_by_foreign_keys, actions, "../schemas/actions.orm", set_default);
scenario!(carried_out_by_the_client, actions_emulated, "../schemas/actions_emulated.orm", |_, _| async {});

/// SetDefault: the key goes back to its default (not on MySQL, whose InnoDB ignores it).
async fn set_default(db: &actions::Client, dialect: Dialect) {
    use actions::{defaulted, owner};
    if dialect == Dialect::Mysql {
        return;
    }
    db.owner().create(owner::Create { id: 0, name: "default".into() }).exec().await.unwrap();
    db.owner().create(owner::Create { id: 5, name: "o5".into() }).exec().await.unwrap();
    let d =
        db.defaulted().create(orm_runtime::CreateExt::with(defaulted::Create {}, defaulted::owner_id.set(5))).exec();
    let d = d.await.unwrap();
    db.owner().delete(owner::UniqueWhere::Id(5)).exec().await.unwrap();
    let d = db.defaulted().find_unique_or_error(defaulted::UniqueWhere::Id(d.id)).exec().await.unwrap();
    assert_eq!(d.owner_id, 0);
}

macro_rules! on_every_backend {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Sqlite).await } )* }
        mod postgres { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Postgres).await } )* }
        mod mysql { $( #[tokio::test] async fn $scenario() { super::$scenario(super::Dialect::Mysql).await } )* }
    };
}

on_every_backend!(kept_by_foreign_keys, carried_out_by_the_client);
