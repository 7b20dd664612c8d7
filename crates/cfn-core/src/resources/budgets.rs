use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Budget {
    pub budget: BudgetData,
    pub notifications_with_subscribers: Vec<NotificationWithSubscribers>,
}

impl ResourceProperties for Budget {
    const TYPE: &'static str = "AWS::Budgets::Budget";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BudgetData {
    pub budget_name: Expr,
    pub budget_type: String,
    pub time_unit: String,
    pub budget_limit: Spend,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Spend {
    pub amount: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NotificationWithSubscribers {
    pub notification: Notification,
    pub subscribers: Vec<Subscriber>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Notification {
    pub notification_type: String,
    pub comparison_operator: String,
    pub threshold: f64,
    pub threshold_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscriber {
    pub subscription_type: String,
    pub address: Expr,
}
