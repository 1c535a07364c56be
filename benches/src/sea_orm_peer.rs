//! SeaORM 2 as its tutorial writes it: `DeriveEntityModel` entities, `find_also_related` for
//! the left join, `insert_many`, and the loader (`load_many`) for associations. One pooled
//! connection, statement logging off.

use sea_orm::ColumnTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, EntityTrait, LoaderTrait, QueryFilter, Set};

use crate::{Contender, runtime};

pub mod users {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(has_many = "super::posts::Entity")]
        Posts,
    }

    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Posts.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod posts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        pub body: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(belongs_to = "super::users::Entity", from = "Column::UserId", to = "super::users::Column::Id")]
        Users,
        #[sea_orm(has_many = "super::comments::Entity")]
        Comments,
    }

    impl Related<super::users::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Users.def()
        }
    }

    impl Related<super::comments::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Comments.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod comments {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "comments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub text: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(belongs_to = "super::posts::Entity", from = "Column::PostId", to = "super::posts::Column::Id")]
        Posts,
    }

    impl Related<super::posts::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Posts.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Users with their posts with their comments.
type Nested = Vec<(users::Model, Vec<(posts::Model, Vec<comments::Model>)>)>;

pub struct SeaOrm {
    rt: tokio::runtime::Runtime,
    db: DatabaseConnection,
}

impl SeaOrm {
    pub fn connect(url: &str) -> SeaOrm {
        let rt = runtime();
        let mut options = ConnectOptions::new(url);
        options.max_connections(1).min_connections(1).sqlx_logging(false);
        let db = rt.block_on(Database::connect(options)).unwrap();
        SeaOrm { rt, db }
    }
}

impl Contender for SeaOrm {
    fn trivial(&mut self) -> usize {
        self.rt.block_on(async { users::Entity::find().all(&self.db).await.unwrap().len() })
    }

    fn medium(&mut self) -> usize {
        self.rt.block_on(async {
            let rows: Vec<(users::Model, Option<posts::Model>)> = users::Entity::find()
                .find_also_related(posts::Entity)
                .filter(users::Column::HairColor.eq("black"))
                .all(&self.db)
                .await
                .unwrap();
            rows.len()
        })
    }

    fn insert(&mut self, size: usize) -> usize {
        self.rt.block_on(async {
            let rows = (0..size).map(|i| users::ActiveModel {
                name: Set(format!("User {i}")),
                hair_color: Set(Some("hair_color".to_owned())),
                ..Default::default()
            });
            users::Entity::insert_many(rows).exec(&self.db).await.unwrap();
            size
        })
    }

    fn associations(&mut self) -> usize {
        self.rt.block_on(async {
            let users = users::Entity::find().all(&self.db).await.unwrap();
            let posts = users.load_many(posts::Entity, &self.db).await.unwrap();
            // The loader takes one slice: flatten the posts, then regroup them per user.
            let per_user: Vec<usize> = posts.iter().map(Vec::len).collect();
            let flat: Vec<posts::Model> = posts.into_iter().flatten().collect();
            let comments = flat.load_many(comments::Entity, &self.db).await.unwrap();
            let mut posts = flat.into_iter().zip(comments);
            let nested: Nested =
                users.into_iter().zip(per_user).map(|(u, n)| (u, posts.by_ref().take(n).collect())).collect();
            nested.iter().map(|(_, posts)| 1 + posts.iter().map(|(_, c)| 1 + c.len()).sum::<usize>()).sum()
        })
    }
}
