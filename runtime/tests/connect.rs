//! Connecting: a bad URL or an unreachable server is a typed error with a message a person can
//! act on, never a panic; the password never appears in it.

use orm_runtime::{Db, Error};

#[tokio::test]
async fn an_unknown_scheme_is_an_invalid_url() {
    let e = Db::connect("oracle://db.example/x").await.err().expect("refused");
    assert!(matches!(e, Error::InvalidUrl(_)), "{e:?}");
    assert!(e.to_string().contains("use sqlite:path, postgres://… or mysql://…"), "{e}");
}

#[tokio::test]
async fn a_bad_pool_parameter_is_an_invalid_url() {
    let e = Db::connect("sqlite::memory:?connection_limit=lots").await.err().expect("refused");
    assert!(matches!(e, Error::InvalidUrl(ref m) if m.contains("connection_limit=lots")), "{e:?}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_connection_error_without_the_password() {
    // Port 1 on the loopback interface refuses connections at once.
    let url = "postgres://me:secret@127.0.0.1:1/db?connect_timeout=2";
    let e = Db::builder(url).acquire_timeout(std::time::Duration::from_secs(2)).connect().await.err().expect("refused");
    assert!(matches!(e, Error::Connection(_) | Error::Timeout(_)), "{e:?}");
    assert!(!e.to_string().contains("secret"), "{e}");
    assert!(e.to_string().contains("127.0.0.1:1"), "{e}");
}

#[tokio::test]
async fn sqlite_in_memory_connects() {
    let db = Db::connect("sqlite::memory:").await.expect("connects");
    let rows: Vec<(i64,)> = db.raw("SELECT 1 + 1").fetch_all().await.expect("runs");
    assert_eq!(rows, [(2,)]);
}
