//! A second authorizer would silently replace the first for every protected route
//! already added. `HttpApi<WithAuthorizer>` has no `authorizer` method.
#[path = "../a_support/mod.rs"]
mod a_support;

use cfn_core::Expr;
use constructs::http_api::{AuthorizerKind, HttpApi};

fn jwt() -> AuthorizerKind {
    AuthorizerKind::Jwt {
        issuer: Expr::from("https://issuer.example"),
        audience: vec![Expr::from("client")],
    }
}

fn main() {
    let stack = a_support::stack("Api");
    HttpApi::new(&stack, "api")
        .authorizer(jwt())
        .authorizer(jwt());
}
