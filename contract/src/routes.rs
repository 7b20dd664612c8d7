//! The HTTP routes: which method and path belong to which function, and whether API
//! Gateway's JWT authorizer guards it. Paths use `{name}` for one path segment, the
//! syntax of both API Gateway route keys and axum.
use crate::functions::Function;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Auth {
    /// Anyone.
    Public,
    /// Only with a valid access token of the user pool (API Gateway's JWT authorizer).
    Jwt,
}

/// Names a route so code can match on it exhaustively: a new route fails to compile
/// wherever it has no handler (the app's router) or no check (the isolation test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteId {
    Login,
    Verify,
    CreateBatch,
    ListBatches,
    GetBatch,
    CreateEvent,
    ListEvents,
    ReminderSuggestions,
    ConfirmReminder,
    MyReminders,
    RegisterDevice,
    ExportCsv,
    PublicBatch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub id: RouteId,
    pub method: Method,
    pub path: &'static str,
    pub auth: Auth,
    pub function: Function,
}

impl Route {
    /// The names of the `{...}` segments, in path order.
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }

    /// API Gateway's route key, e.g. `GET /batches/{id}`.
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

const fn route(
    id: RouteId,
    method: Method,
    path: &'static str,
    auth: Auth,
    function: Function,
) -> Route {
    Route {
        id,
        method,
        path,
        auth,
        function,
    }
}

use Auth::{Jwt, Public};
use Function as F;
use Method::{Get, Post};
use RouteId as R;

/// Every route of the HTTP API (seed 002), grouped by function.
pub const ROUTES: &[Route] = &[
    route(R::Login, Post, "/auth/login", Public, F::Auth),
    route(R::Verify, Post, "/auth/verify", Public, F::Auth),
    route(R::CreateBatch, Post, "/batches", Jwt, F::Batches),
    route(R::ListBatches, Get, "/batches", Jwt, F::Batches),
    route(R::GetBatch, Get, "/batches/{id}", Jwt, F::Batches),
    route(R::CreateEvent, Post, "/batches/{id}/events", Jwt, F::Events),
    route(R::ListEvents, Get, "/batches/{id}/events", Jwt, F::Events),
    route(
        R::ReminderSuggestions,
        Get,
        "/batches/{id}/reminders/suggestions",
        Jwt,
        F::Reminders,
    ),
    route(
        R::ConfirmReminder,
        Post,
        "/batches/{id}/reminders/confirm",
        Jwt,
        F::Reminders,
    ),
    route(R::MyReminders, Get, "/me/reminders", Jwt, F::Reminders),
    route(R::RegisterDevice, Post, "/me/devices", Jwt, F::Devices),
    route(R::ExportCsv, Get, "/export.csv", Jwt, F::Export),
    route(
        R::PublicBatch,
        Get,
        "/public/b/{batchId}",
        Public,
        F::Public,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_and_method_paths_are_unique() {
        let ids: BTreeSet<RouteId> = ROUTES.iter().map(|r| r.id).collect();
        let keys: BTreeSet<String> = ROUTES.iter().map(Route::key).collect();
        assert_eq!(ids.len(), ROUTES.len());
        assert_eq!(keys.len(), ROUTES.len());
    }

    #[test]
    fn paths_are_absolute_with_named_params() {
        for r in ROUTES {
            assert!(r.path.starts_with('/') && !r.path.ends_with('/'), "{r}");
            for segment in r.path.split('/').skip(1) {
                assert!(!segment.is_empty(), "{r}");
            }
        }
        let get_batch = ROUTES.iter().find(|r| r.id == RouteId::GetBatch).unwrap();
        assert_eq!(get_batch.path_params().collect::<Vec<_>>(), ["id"]);
        assert_eq!(get_batch.key(), "GET /batches/{id}");
    }
}
