//! Lambda: the devices routes (see `app::routes::ROUTES`), behind API Gateway.
#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    app::lambda::run_http(app::routes::Function::Devices).await
}
