//! Counting the statements a piece of client code sends, from the runtime's own `tracing`
//! events (target `orm::query`, one per statement): how the tests prove that reading related
//! records costs one statement per relation level, not one per record.
//!
//! One global subscriber counts per thread (a `#[tokio::test]` runs on one): scoped
//! subscribers would race with tracing's per-callsite interest cache across parallel tests.

use std::cell::Cell;
use std::sync::Once;

use tracing_subscriber::layer::{Context, SubscriberExt as _};

thread_local! {
    static SENT: Cell<usize> = const { Cell::new(0) };
}

struct Counter;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "orm::query" {
            SENT.with(|n| n.set(n.get() + 1));
        }
    }
}

/// Counts the statements this thread sends.
pub struct Statements;

impl Statements {
    pub fn count() -> Statements {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(Counter))
                .expect("no other global subscriber in the tests");
        });
        SENT.with(|n| n.set(0));
        Statements
    }

    /// The statements sent since the last call (or since counting began).
    pub fn take(&self) -> usize {
        SENT.with(|n| n.replace(0))
    }
}
