//! Cost-allocation tags: `app`, `stage` and `cost-center` on everything a stage deploys.
//!
//! The deploy engine passes them as stack tags, and CloudFormation copies stack tags onto
//! the resources of the types that support it. A few taggable types do not receive them:
//! those carry the tags in the template ([`NOT_PROPAGATED`]), and only those, so a tag
//! change elsewhere never needs a template change.
use cfn_core::Resource;
use serde_json::{json, Map, Value};

pub const APP: &str = "app";
pub const STAGE: &str = "stage";
pub const COST_CENTER: &str = "cost-center";

pub const fn of(
    app: &'static str,
    stage: &'static str,
    cost_center: &'static str,
) -> [(&'static str, &'static str); 3] {
    [(APP, app), (STAGE, stage), (COST_CENTER, cost_center)]
}

/// How a type's tag property is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagShape {
    /// `[{"Key": "app", "Value": "x"}]`
    List,
    /// `{"app": "x"}`
    Map,
}

/// Taggable types (`cfn::registry::lookup(t).taggable`) that stack tags do not reach, with
/// the property that tags them:
/// - `AWS::Cognito::UserPool` (`UserPoolTags`): aws/aws-cdk#3882 and #14127 (stack tags
///   are not applied to user pools; open since 2021).
pub const NOT_PROPAGATED: &[(&str, &str, TagShape)] =
    &[("AWS::Cognito::UserPool", "UserPoolTags", TagShape::Map)];

/// Adds the tags to a resource whose type stack tags do not reach; a tag the resource
/// already sets keeps its value.
pub fn add_where_not_propagated(resource: &mut Resource, tags: &[(&str, &str)]) {
    let Some((_, property, shape)) = NOT_PROPAGATED
        .iter()
        .find(|(t, _, _)| *t == resource.resource_type)
    else {
        return;
    };
    let Some(properties) = resource.properties.as_object_mut() else {
        return;
    };
    let existing = properties.remove(*property);
    let merged = match shape {
        TagShape::Map => {
            let mut map = match existing {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            };
            for (key, value) in tags {
                map.entry(key.to_string()).or_insert_with(|| json!(value));
            }
            Value::Object(map)
        }
        TagShape::List => {
            let mut list = match existing {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            };
            for (key, value) in tags {
                if !list.iter().any(|t| t["Key"] == *key) {
                    list.push(json!({"Key": key, "Value": value}));
                }
            }
            Value::Array(list)
        }
    };
    properties.insert(property.to_string(), merged);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_tagged_in_the_template_is_taggable() {
        for (t, _, _) in NOT_PROPAGATED {
            let info =
                cfn::registry::lookup(t).unwrap_or_else(|| panic!("{t} not in the registry"));
            assert!(info.taggable, "{t}");
        }
    }

    #[test]
    fn user_pools_get_the_tags_and_keep_their_own() {
        let tags = of("shop", "dev", "web");
        let mut pool = Resource::raw(
            &cfn_core::RawResource::new("AWS::Cognito::UserPool")
                .property("UserPoolName", "shop-dev-users"),
        );
        pool.properties["UserPoolTags"] = json!({"stage": "custom"});
        add_where_not_propagated(&mut pool, &tags);
        assert_eq!(
            pool.properties["UserPoolTags"],
            json!({"app": "shop", "stage": "custom", "cost-center": "web"})
        );
        let mut table = Resource::raw(&cfn_core::RawResource::new("AWS::DynamoDB::Table"));
        add_where_not_propagated(&mut table, &tags);
        assert!(
            table.properties.get("Tags").is_none(),
            "stack tags reach tables"
        );
    }
}
