//! Data access over the single DynamoDB table. Every method that touches user data takes
//! the caller's `sub` and builds the partition key from it, so no handler can reach
//! another user's items: isolation is a property of this layer, not of each handler.
mod batches;
mod devices;
mod events;
mod export;
pub mod item;
mod reminders;

use aws_sdk_dynamodb::error::DisplayErrorContext;

use crate::error::ApiError;

pub use export::{ExportPage, ExportRow};
pub use reminders::Claim;

#[derive(Clone)]
pub struct Store {
    pub(crate) ddb: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
}

#[derive(Debug)]
pub enum StoreError {
    Sdk(String),
    Corrupt(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Sdk(e) => write!(f, "dynamodb: {e}"),
            StoreError::Corrupt(e) => write!(f, "corrupt item: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

pub(crate) fn sdk<E: std::error::Error>(e: E) -> StoreError {
    StoreError::Sdk(DisplayErrorContext(&e).to_string())
}

pub type StoreResult<T> = Result<T, StoreError>;

impl Store {
    pub fn new(ddb: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Store {
        Store {
            ddb,
            table: table.into(),
        }
    }

    /// Writes one whole item; the last writer wins.
    pub(crate) async fn put(
        &self,
        item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
    ) -> StoreResult<()> {
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }
}
