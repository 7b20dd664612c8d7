//! The route table: which method and path template belongs to which Lambda, and path
//! matching that tells "no such path" (404) from "path exists, wrong method" (405).
//! The OpenAPI test checks this table against app/openapi.yaml.

/// One Lambda binary, i.e. one handler group of the Api stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    Auth,
    Batches,
    Events,
    Reminders,
    Devices,
    Export,
    Public,
}

impl Function {
    pub const ALL: [Function; 7] = [
        Function::Auth,
        Function::Batches,
        Function::Events,
        Function::Reminders,
        Function::Devices,
        Function::Export,
        Function::Public,
    ];

    /// The `[[bin]]` (and Lambda) name serving this group.
    pub fn binary(self) -> &'static str {
        match self {
            Function::Auth => "auth",
            Function::Batches => "batches",
            Function::Events => "events",
            Function::Reminders => "reminders",
            Function::Devices => "devices",
            Function::Export => "export",
            Function::Public => "public",
        }
    }
}

/// The scheduled (non-HTTP) Lambda.
pub const REMINDER_PROCESSOR_BINARY: &str = "reminder-processor";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

pub struct Route {
    pub method: &'static str,
    /// Path template; `{name}` matches one non-empty segment.
    pub template: &'static str,
    pub id: RouteId,
    pub function: Function,
    /// Behind the JWT authorizer.
    pub authenticated: bool,
}

const fn route(
    method: &'static str,
    template: &'static str,
    id: RouteId,
    function: Function,
    authenticated: bool,
) -> Route {
    Route {
        method,
        template,
        id,
        function,
        authenticated,
    }
}

use Function as F;
use RouteId as R;

pub const ROUTES: &[Route] = &[
    route("POST", "/auth/login", R::Login, F::Auth, false),
    route("POST", "/auth/verify", R::Verify, F::Auth, false),
    route("POST", "/batches", R::CreateBatch, F::Batches, true),
    route("GET", "/batches", R::ListBatches, F::Batches, true),
    route("GET", "/batches/{id}", R::GetBatch, F::Batches, true),
    route(
        "POST",
        "/batches/{id}/events",
        R::CreateEvent,
        F::Events,
        true,
    ),
    route(
        "GET",
        "/batches/{id}/events",
        R::ListEvents,
        F::Events,
        true,
    ),
    route(
        "GET",
        "/batches/{id}/reminders/suggestions",
        R::ReminderSuggestions,
        F::Reminders,
        true,
    ),
    route(
        "POST",
        "/batches/{id}/reminders/confirm",
        R::ConfirmReminder,
        F::Reminders,
        true,
    ),
    route("GET", "/me/reminders", R::MyReminders, F::Reminders, true),
    route("POST", "/me/devices", R::RegisterDevice, F::Devices, true),
    route("GET", "/export.csv", R::ExportCsv, F::Export, true),
    route(
        "GET",
        "/public/b/{batchId}",
        R::PublicBatch,
        F::Public,
        false,
    ),
];

/// Result of matching a request against the routes one binary serves.
#[derive(Debug, PartialEq)]
pub enum Match<'a> {
    Found {
        route: &'a Route,
        /// Values of the `{...}` segments, in template order.
        params: Vec<String>,
    },
    /// The path exists but not for this method; carries the allowed methods.
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

impl PartialEq for Route {
    fn eq(&self, other: &Route) -> bool {
        self.method == other.method && self.template == other.template
    }
}

/// Matches `method path` against the routes of `only` (one Lambda) or of all functions
/// (the local server). HEAD is not served: API Gateway routes are declared per method.
pub fn match_route(only: Option<Function>, method: &str, path: &str) -> Match<'static> {
    let mut allowed = Vec::new();
    for route in ROUTES
        .iter()
        .filter(|r| only.is_none_or(|f| f == r.function))
    {
        if let Some(params) = match_template(route.template, path) {
            if route.method.eq_ignore_ascii_case(method) {
                return Match::Found { route, params };
            }
            allowed.push(route.method);
        }
    }
    if allowed.is_empty() {
        Match::NotFound
    } else {
        Match::MethodNotAllowed(allowed)
    }
}

fn match_template(template: &str, path: &str) -> Option<Vec<String>> {
    // A single trailing slash is tolerated; empty inner segments are not.
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let mut t = template.split('/');
    let mut p = path.split('/');
    let mut params = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(params),
            (Some(ts), Some(ps)) if ts.starts_with('{') => {
                if ps.is_empty() {
                    return None;
                }
                params.push(ps.to_string());
            }
            (Some(ts), Some(ps)) if ts == ps => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_params_and_tells_404_from_405() {
        match match_route(None, "GET", "/batches/abc/events") {
            Match::Found { route, params } => {
                assert_eq!(route.id, RouteId::ListEvents);
                assert_eq!(params, vec!["abc".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            match_route(None, "DELETE", "/batches"),
            Match::MethodNotAllowed(vec!["POST", "GET"])
        );
        assert_eq!(
            match_route(None, "GET", "/batches//events"),
            Match::NotFound
        );
        assert_eq!(match_route(None, "GET", "/nope"), Match::NotFound);
        assert!(matches!(
            match_route(None, "GET", "/batches/"),
            Match::Found { .. }
        ));
    }

    #[test]
    fn a_binary_serves_only_its_routes() {
        assert_eq!(
            match_route(Some(Function::Batches), "GET", "/me/reminders"),
            Match::NotFound
        );
        assert!(matches!(
            match_route(Some(Function::Reminders), "GET", "/me/reminders"),
            Match::Found { .. }
        ));
    }
}
