//! A route whose method is a string: `"GTE"` would have deployed as a route no client
//! ever calls. Methods are `HttpMethod`s.
#[path = "../a_support/mod.rs"]
mod a_support;

use constructs::function::FunctionRef;
use constructs::http_api::HttpApi;

fn main() {
    let stack = a_support::stack("Api");
    let health = FunctionRef::from_name("demo-dev-health");
    HttpApi::new(&stack, "api").open_route("GET", "/health", &health);
}
