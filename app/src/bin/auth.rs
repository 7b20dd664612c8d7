//! Lambda: the auth routes (see `app::routes::ROUTES`), behind API Gateway.
#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    app::lambda::run_http(app::routes::Function::Auth).await
}
