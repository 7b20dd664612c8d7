//! The application context and the dispatcher shared by every binary.
use std::sync::Arc;

use time::OffsetDateTime;

use crate::handlers;
use crate::photos::Photos;
use crate::request::ApiRequest;
use crate::response::{ApiError, ApiResponse};
use crate::routes::{match_route, Function, Match, RouteId};
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
    /// Only the auth function (and the local server) can sign users in.
    pub signin: Option<Arc<dyn SignIn>>,
    pub clock: Clock,
}

impl App {
    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }
}

/// Routes one request. `only` restricts matching to one Lambda's routes; the local
/// server passes `None`. Never panics on input: every failure is an error envelope.
pub async fn handle(app: &App, only: Option<Function>, req: ApiRequest) -> ApiResponse {
    let (route, params) = match match_route(only, &req.method, &req.path) {
        Match::Found { route, params } => (route, params),
        Match::MethodNotAllowed(allowed) => {
            return ApiError::new(
                405,
                "METHOD_NOT_ALLOWED",
                format!(
                    "{} is not allowed here; use {}",
                    req.method,
                    allowed.join(", ")
                ),
            )
            .into_response()
            .with_header("allow", allowed.join(", "))
        }
        Match::NotFound => {
            return ApiError::not_found(format!("no route for {} {}", req.method, req.path))
                .into_response()
        }
    };
    if route.authenticated && req.caller.is_none() {
        return ApiError::unauthorized("missing or invalid bearer token").into_response();
    }
    let p = |i: usize| params.get(i).map(String::as_str).unwrap_or("");
    let result = match route.id {
        RouteId::Login => handlers::auth::login(app, &req).await,
        RouteId::Verify => handlers::auth::verify(app, &req).await,
        RouteId::CreateBatch => handlers::batches::create(app, &req).await,
        RouteId::ListBatches => handlers::batches::list(app, &req).await,
        RouteId::GetBatch => handlers::batches::get(app, &req, p(0)).await,
        RouteId::CreateEvent => handlers::events::create(app, &req, p(0)).await,
        RouteId::ListEvents => handlers::events::list(app, &req, p(0)).await,
        RouteId::ReminderSuggestions => handlers::reminders::suggestions(app, &req, p(0)).await,
        RouteId::ConfirmReminder => handlers::reminders::confirm(app, &req, p(0)).await,
        RouteId::MyReminders => handlers::reminders::mine(app, &req).await,
        RouteId::RegisterDevice => handlers::devices::register(app, &req).await,
        RouteId::ExportCsv => handlers::export::csv(app, &req).await,
        RouteId::PublicBatch => handlers::public::get(app, p(0)).await,
    };
    result.unwrap_or_else(ApiError::into_response)
}
