//! Lambda: the devices routes of the contract (`contract::ROUTES`), behind API Gateway.
#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    app::lambda::run_http(contract::Function::Devices).await
}
