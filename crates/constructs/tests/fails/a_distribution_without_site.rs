//! A distribution without the site bucket behind its default behaviour (it used to
//! panic at render time). The site bucket is an argument of `Distribution::new`.
#[path = "../a_support/mod.rs"]
mod a_support;

use constructs::cdn::Distribution;

fn main() {
    let stack = a_support::stack("Web");
    Distribution::new(&stack, "cdn", "frontend");
}
