//! What CloudFormation does when a property changes, for every resource type: read from
//! the registry schemas' create-only properties (`cfn::registry`, generated, plus the
//! reviewed patches in `crates/cfn-codegen/patches.toml`). The change set, when there is
//! one, has the last word.
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Replacement {
    Never,
    Conditional,
    Always,
}

/// What changing the top-level property `property` from `old` to `new` does to a resource
/// of `resource_type`. Create-only paths below the property (`VpcConfig/SubnetIds`) are
/// compared where they point; an array wildcard in such a path makes it conditional.
pub fn property_replacement(
    resource_type: &str,
    property: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Replacement {
    let Some(info) = cfn::registry::lookup(resource_type) else {
        // Custom resources update in place unless their handler says otherwise; an
        // unknown AWS type is a guess either way, so the plan says "may replace".
        return if resource_type.starts_with("Custom::")
            || resource_type == "AWS::CloudFormation::CustomResource"
        {
            Replacement::Never
        } else {
            Replacement::Conditional
        };
    };
    let mut verdict = Replacement::Never;
    for (paths, when) in [
        (info.create_only, Replacement::Always),
        (info.conditional_create_only, Replacement::Conditional),
    ] {
        for path in paths {
            let found = if *path == property {
                when
            } else if let Some(rest) = path
                .strip_prefix(property)
                .and_then(|r| r.strip_prefix('/'))
            {
                nested(rest, old, new, when)
            } else {
                Replacement::Never
            };
            verdict = verdict.max(found);
        }
    }
    verdict
}

/// The verdict for a create-only path below a changed property.
fn nested(rest: &str, old: Option<&Value>, new: Option<&Value>, when: Replacement) -> Replacement {
    if rest.split('/').any(|segment| segment == "*") {
        return Replacement::Conditional.min(when);
    }
    let pointer = format!("/{rest}");
    let (old_at, new_at) = (
        old.and_then(|v| v.pointer(&pointer)),
        new.and_then(|v| v.pointer(&pointer)),
    );
    if old_at == new_at {
        Replacement::Never
    } else {
        when
    }
}

/// The property that names a resource of this type when the name is its identity: the
/// schema's only primaryIdentifier, settable and create-only (TableName, BucketName,
/// FunctionName, LogGroupName, ...). A replacement that keeps such a name fails in
/// CloudFormation: the new resource is created first, and the name is taken.
pub fn name_property(resource_type: &str) -> Option<&'static str> {
    let info = cfn::registry::lookup(resource_type)?;
    let [name] = info.primary_identifier else {
        return None;
    };
    info.create_only.contains(name).then_some(*name)
}

/// Losing the resource loses data (tables, buckets, databases, user pools, logs, ...).
pub fn is_stateful(resource_type: &str) -> bool {
    cfn::registry::lookup(resource_type).is_some_and(|info| info.holds_data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_identities() {
        assert_eq!(name_property("AWS::DynamoDB::Table"), Some("TableName"));
        assert_eq!(name_property("AWS::S3::Bucket"), Some("BucketName"));
        assert_eq!(name_property("AWS::Lambda::Function"), Some("FunctionName"));
        assert_eq!(name_property("AWS::Logs::LogGroup"), Some("LogGroupName"));
        // Identified by an ARN or a generated id: nothing to collide with.
        assert_eq!(name_property("AWS::SNS::Topic"), None);
        // Two identifiers (group and stream): not one name.
        assert_eq!(name_property("AWS::Logs::LogStream"), None);
        assert_eq!(name_property("Custom::Thing"), None);
    }
    use serde_json::json;

    fn change(ty: &str, property: &str) -> Replacement {
        property_replacement(ty, property, Some(&json!("a")), Some(&json!("b")))
    }

    #[test]
    fn create_only_properties_replace_and_others_update_in_place() {
        assert_eq!(
            change("AWS::DynamoDB::Table", "KeySchema"),
            Replacement::Always
        );
        assert_eq!(
            change("AWS::DynamoDB::Table", "BillingMode"),
            Replacement::Never
        );
        assert_eq!(
            change("AWS::Cognito::UserPool", "UsernameAttributes"),
            Replacement::Always
        );
        assert_eq!(
            change("AWS::RDS::DBInstance", "DBInstanceIdentifier"),
            Replacement::Always
        );
        assert_eq!(
            change("AWS::RDS::DBInstance", "Engine"),
            Replacement::Conditional
        );
        assert_eq!(
            change("AWS::Logs::LogGroup", "LogGroupName"),
            Replacement::Always
        );
        assert_eq!(
            change("AWS::Logs::LogGroup", "RetentionInDays"),
            Replacement::Never
        );
    }

    #[test]
    fn a_nested_create_only_path_replaces_only_when_its_value_changes() {
        // Budget/BudgetName is create-only; Budget/BudgetLimit is not.
        let old = json!({"BudgetName": "b", "BudgetLimit": {"Amount": 10}});
        let limit = json!({"BudgetName": "b", "BudgetLimit": {"Amount": 20}});
        let renamed = json!({"BudgetName": "c", "BudgetLimit": {"Amount": 10}});
        let ty = "AWS::Budgets::Budget";
        assert_eq!(
            property_replacement(ty, "Budget", Some(&old), Some(&limit)),
            Replacement::Never
        );
        assert_eq!(
            property_replacement(ty, "Budget", Some(&old), Some(&renamed)),
            Replacement::Always
        );
    }

    #[test]
    fn unknown_types_may_replace_and_custom_resources_do_not() {
        assert_eq!(
            change("AWS::Unknown::Thing", "Name"),
            Replacement::Conditional
        );
        assert_eq!(change("Custom::Seeder", "Rows"), Replacement::Never);
    }

    #[test]
    fn data_holding_types_are_stateful() {
        for ty in [
            "AWS::S3::Bucket",
            "AWS::Logs::LogGroup",
            "AWS::DynamoDB::Table",
            "AWS::RDS::DBInstance",
            "AWS::Cognito::UserPool",
        ] {
            assert!(is_stateful(ty), "{ty}");
        }
        assert!(!is_stateful("AWS::Lambda::Function"));
        assert!(!is_stateful("AWS::Custom::Nothing"));
    }
}
