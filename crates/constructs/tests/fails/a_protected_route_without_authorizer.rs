//! A protected route on an API that has no authorizer: nothing could check the caller,
//! so the route would be open. `HttpApi<NoAuthorizer>` has no protected routes.
#[path = "../a_support/mod.rs"]
mod a_support;

use constructs::function::FunctionRef;
use constructs::http_api::{Auth, HttpApi, HttpMethod};

fn main() {
    let stack = a_support::stack("Api");
    let me = FunctionRef::from_name("demo-dev-me");
    HttpApi::new(&stack, "api").route(HttpMethod::Get, "/me", &me, Auth::Authorizer);
    HttpApi::new(&stack, "api").protected_route(HttpMethod::Get, "/me", &me);
}
