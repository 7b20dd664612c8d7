//! Release aliases for a function known only by name (another stack's): its version
//! needs the logical ID and code parameter of the stack that renders it. Aliases take
//! the unrendered `Function` and render it themselves.
#[path = "../a_support/mod.rs"]
mod a_support;

use constructs::alias::add_with_aliases;
use constructs::function::FunctionRef;

fn main() {
    let mut stack = a_support::stack("Api");
    let elsewhere = FunctionRef::from_name("demo-dev-users");
    add_with_aliases(&mut stack, elsewhere);
}
