//! A DynamoDB billing mode as a string on the generated L1 type: `BillingMode` is a
//! closed set (`PAY_PER_REQUEST`, `PROVISIONED`), so `"ON_DEMAND"` cannot be written.
use cfn::dynamodb::table::{KeySchema, KeyType, Table};

fn main() {
    let _table = Table {
        billing_mode: Some("ON_DEMAND".into()),
        ..Table::new(vec![KeySchema::new("PK", KeyType::Hash)])
    };
}
