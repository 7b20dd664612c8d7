//! The application context every handler gets as axum state.
use std::sync::Arc;

use time::OffsetDateTime;

use crate::photos::Photos;
use crate::signin::SignIn;
use crate::store::Store;

/// Time source; tests pin it to make reminder suggestions deterministic.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(OffsetDateTime::now_utc)
}

#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub photos: Photos,
    /// Only the auth function can sign users in.
    pub signin: Option<Arc<dyn SignIn>>,
    pub clock: Clock,
}

impl App {
    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }
}
