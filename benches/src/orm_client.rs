//! The generated client of `schema.orm`, written as its README shows: `find_many`, a filter
//! with an include, `create_many`, and a two-level include. Connected with one connection.

use orm_runtime::CreateExt as _;

use crate::{Contender, runtime};

mod bench {
    orm_runtime::include_client!("bench");
}
use bench::{Client, post, user};

pub struct Orm {
    rt: tokio::runtime::Runtime,
    client: Client,
}

impl Orm {
    pub fn connect(url: &str) -> Orm {
        let rt = runtime();
        let client = rt.block_on(async {
            let db = orm_runtime::Db::builder(url).max_connections(1).connect().await.unwrap();
            Client::from_db(db)
        });
        Orm { rt, client }
    }
}

impl Contender for Orm {
    fn trivial(&mut self) -> usize {
        self.rt.block_on(async { self.client.user().find_many().exec().await.unwrap().len() })
    }

    fn medium(&mut self) -> usize {
        self.rt.block_on(async {
            let users = self
                .client
                .user()
                .find_many()
                .filter(user::hair_color.equals("black"))
                .include(user::posts)
                .exec()
                .await
                .unwrap();
            users.len()
        })
    }

    fn insert(&mut self, size: usize) -> usize {
        self.rt.block_on(async {
            let rows =
                (0..size).map(|i| user::Create { name: format!("User {i}") }.with(user::hair_color.set("hair_color")));
            self.client.user().create_many(rows).exec().await.unwrap() as usize
        })
    }

    fn associations(&mut self) -> usize {
        self.rt.block_on(async {
            let users = self
                .client
                .user()
                .find_many()
                .include(user::posts.load().include(post::comments))
                .exec()
                .await
                .unwrap();
            users
                .iter()
                .map(|u| {
                    let posts = u.posts().unwrap();
                    1 + posts.iter().map(|p| 1 + p.comments().unwrap().len()).sum::<usize>()
                })
                .sum()
        })
    }
}
