//! An app client's auth flow as a string: a typo (`ALLOW_USER_SRP`) would only fail
//! at deploy. Flows are `AuthFlow`.
use constructs::user_pool::{AppClient, AuthFlow};

fn main() {
    let _client = AppClient {
        id: "web",
        auth_flows: vec!["ALLOW_USER_SRP", AuthFlow::RefreshToken],
        access_token_hours: 1,
        id_token_hours: 1,
        refresh_token_days: 30,
        oauth: None,
    };
}
