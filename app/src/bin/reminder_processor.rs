//! Lambda: the reminder processor, invoked by the EventBridge schedule (payload ignored).
use std::sync::Arc;

use contract::{EnvVar, Function};
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let env = app::config::FunctionEnv::from_env(Function::ReminderProcessor)?;
    let clients = app::config::clients().await;
    let store = Arc::new(app::store::Store::new(
        clients.ddb,
        env.get(EnvVar::TableName)?,
    ));
    let expo = Arc::new(app::processor::expo::ExpoClient::new(
        env.get(EnvVar::ExpoPushUrl)?,
    ));
    lambda_runtime::run(service_fn(move |_: LambdaEvent<serde_json::Value>| {
        let (store, expo) = (store.clone(), expo.clone());
        async move {
            let report =
                app::processor::run(&store, &expo, time::OffsetDateTime::now_utc()).await?;
            Ok::<_, Error>(serde_json::to_value(report)?)
        }
    }))
    .await
}
