//! What the CloudFormation registry schema of a resource type says about its safety:
//! which properties force a replacement, how the resource is identified, whether it holds
//! data, and which IAM actions CloudFormation needs to manage it.
//!
//! One `TypeInfo` per type is generated into the `cfn` crate's registry from the pinned
//! schemas plus a reviewed patch file (see `crates/cfn-codegen`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeInfo {
    /// `AWS::DynamoDB::Table`.
    pub type_name: &'static str,
    /// Property paths (`KeySchema`, `VpcConfig/SubnetIds`) whose change replaces the
    /// resource: the schema's `createOnlyProperties`, plus patches.
    pub create_only: &'static [&'static str],
    /// Property paths whose change *may* replace the resource
    /// (`conditionalCreateOnlyProperties`).
    pub conditional_create_only: &'static [&'static str],
    /// Property paths of the primary identifier (`TableName`), as used by resource import.
    pub primary_identifier: &'static [&'static str],
    /// Attributes `Fn::GetAtt` can read (`Arn`, `StreamArn`, `Endpoint.Address`).
    pub attributes: &'static [&'static str],
    /// Losing the resource loses data (tables, buckets, databases, user pools, logs...).
    pub holds_data: bool,
    /// The type accepts `Tags` (so stack tags propagate to it).
    pub taggable: bool,
    /// IAM actions CloudFormation needs for each handler.
    pub permissions: Permissions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permissions {
    pub create: &'static [&'static str],
    pub read: &'static [&'static str],
    pub update: &'static [&'static str],
    pub delete: &'static [&'static str],
}

impl TypeInfo {
    /// Whether changing the property at `path` (`KeySchema`, `VpcConfig/SubnetIds`)
    /// replaces the resource: the path itself or one of its parents is create-only.
    pub fn replaces_on_change(&self, path: &str) -> bool {
        let is_prefix = |create_only: &&str| {
            path == *create_only
                || path
                    .strip_prefix(*create_only)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        self.create_only.iter().any(is_prefix)
    }

    /// Whether changing the property at `path` may replace the resource.
    pub fn may_replace_on_change(&self, path: &str) -> bool {
        self.replaces_on_change(path)
            || self
                .conditional_create_only
                .iter()
                .any(|c| path == *c || path.strip_prefix(*c).is_some_and(|r| r.starts_with('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: TypeInfo = TypeInfo {
        type_name: "AWS::DynamoDB::Table",
        create_only: &["TableName", "KeySchema"],
        conditional_create_only: &["LocalSecondaryIndexes"],
        primary_identifier: &["TableName"],
        attributes: &["Arn"],
        holds_data: true,
        taggable: true,
        permissions: Permissions {
            create: &["dynamodb:CreateTable"],
            read: &[],
            update: &[],
            delete: &[],
        },
    };

    #[test]
    fn a_create_only_property_and_its_children_replace() {
        assert!(TABLE.replaces_on_change("KeySchema"));
        assert!(TABLE.replaces_on_change("KeySchema/0/AttributeName"));
        assert!(!TABLE.replaces_on_change("KeySchemaExtra"));
        assert!(!TABLE.replaces_on_change("BillingMode"));
        assert!(TABLE.may_replace_on_change("LocalSecondaryIndexes"));
        assert!(!TABLE.replaces_on_change("LocalSecondaryIndexes"));
    }
}
