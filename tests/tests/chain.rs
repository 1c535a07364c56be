//! A client of 130 models chained by relations compiles (see `chain_client` in `build.rs`), and
//! a record holding records three links down reads, compares and clones them. (Serializing
//! such a record doesn't compile yet: serde's derived code instantiates the serializer for each
//! link of the chain, nested, past the recursion limit; see BENCHMARKS.md.)

mod chain {
    orm_runtime::include_client!("chain");
}
use chain::{Client, link0, link1, link2};
use orm_runtime::Dialect;
use orm_tests::scratch::ScratchDb;

fn assert_send_sync<T: Send + Sync + Unpin + 'static>() {}

#[tokio::test]
async fn a_long_chain_of_relations_compiles_and_loads() {
    assert_send_sync::<chain::Link0>();
    let Some(scratch) = ScratchDb::create(Dialect::Sqlite).await else { return };
    scratch.migrate(include_str!(concat!(env!("OUT_DIR"), "/chain.orm"))).await;
    let client = Client::connect(&scratch.url).await.unwrap();
    let root = client.link0().create(link0::Create {}).exec().await.unwrap();
    let one = client.link1().create(link1::Create {}).data(link1::up_id.set(root.id)).exec().await.unwrap();
    client.link2().create(link2::Create {}).data(link2::up_id.set(one.id)).exec().await.unwrap();
    let roots = client.link0().find_many().include(link0::next.load().include(link1::next)).exec().await.unwrap();
    let next = roots[0].next().unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].next().unwrap().len(), 1);
    assert_eq!(roots[0].clone(), roots[0], "a loaded tree clones and compares equal");
    assert_eq!(next[0].next().unwrap()[0].up_id, Some(one.id));
}
