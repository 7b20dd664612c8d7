//! IAM actions summarized for an edge label: `read/write`, `query GSI1`, `get/put users/*`.
//! The exact list per function is in `synth --permissions`; a diagram says what kind
//! of access there is and where.
use super::resolve::Qualifier;

const DYNAMODB_READS: [&str; 5] = [
    "GetItem",
    "BatchGetItem",
    "Query",
    "Scan",
    "ConditionCheckItem",
];
const DYNAMODB_WRITES: [&str; 4] = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"];

/// One label line for the actions a statement allows on one target.
pub fn summarize(actions: &[String], qualifier: Option<&Qualifier>) -> String {
    let mut by_service: Vec<(&str, Vec<&str>)> = Vec::new();
    for action in actions {
        let (service, name) = action.split_once(':').unwrap_or(("", action));
        match by_service.iter_mut().find(|(s, _)| *s == service) {
            Some((_, names)) => names.push(name),
            None => by_service.push((service, vec![name])),
        }
    }
    let mut phrase = by_service
        .iter()
        .map(|(service, names)| match *service {
            "dynamodb" => dynamodb(names),
            "s3" => verbs(names, S3_VERBS),
            _ => verbs(names, OTHER_VERBS),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match qualifier {
        Some(Qualifier::Index(index)) => phrase = format!("{phrase} {index}"),
        Some(Qualifier::Objects(pattern)) => phrase = format!("{phrase} {pattern}"),
        Some(Qualifier::Alias(alias)) => phrase = format!("{phrase} :{alias}"),
        None => {}
    }
    phrase
}

fn dynamodb(names: &[&str]) -> String {
    let reads: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| DYNAMODB_READS.contains(n))
        .collect();
    let writes = names.iter().any(|n| DYNAMODB_WRITES.contains(n));
    let mut parts = Vec::new();
    match (reads.as_slice(), writes) {
        ([], false) => {}
        ([], true) => parts.push("write".to_string()),
        (_, true) => parts.push("read/write".to_string()),
        (["Query"], false) => parts.push("query".to_string()),
        (_, false) => parts.push("read".to_string()),
    }
    // Anything beyond items (DescribeTable, streams, ...) is named as is.
    parts.extend(
        names
            .iter()
            .filter(|n| !DYNAMODB_READS.contains(n) && !DYNAMODB_WRITES.contains(n))
            .map(|n| n.to_string()),
    );
    parts.join(", ")
}

const S3_VERBS: &[(&str, &str)] = &[
    ("GetObject", "get"),
    ("PutObject", "put"),
    ("DeleteObject", "delete"),
    ("ListBucket", "list"),
];

const OTHER_VERBS: &[(&str, &str)] = &[
    ("InvokeFunction", "invoke"),
    ("Publish", "publish"),
    ("SendMessage", "send"),
    ("GetSecretValue", "read secret"),
];

/// Known actions as short verbs joined by `/`, the rest by their IAM names.
fn verbs(names: &[&str], table: &[(&str, &str)]) -> String {
    let mut known: Vec<&str> = Vec::new();
    let mut other: Vec<&str> = Vec::new();
    for name in names {
        match table.iter().find(|(action, _)| action == name) {
            Some((_, verb)) => known.push(verb),
            None => other.push(name),
        }
    }
    let mut parts = Vec::new();
    if !known.is_empty() {
        parts.push(known.join("/"));
    }
    parts.extend(other.iter().map(|s| s.to_string()));
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actions(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dynamodb_item_access_is_read_write_query_or_read() {
        let rw = actions(&["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]);
        assert_eq!(summarize(&rw, None), "read/write");
        let query = actions(&["dynamodb:Query"]);
        assert_eq!(
            summarize(&query, Some(&Qualifier::Index("GSI1".into()))),
            "query GSI1"
        );
        assert_eq!(
            summarize(&actions(&["dynamodb:GetItem", "dynamodb:Query"]), None),
            "read"
        );
        assert_eq!(summarize(&actions(&["dynamodb:DeleteItem"]), None), "write");
    }

    #[test]
    fn s3_verbs_carry_the_key_pattern() {
        let a = actions(&["s3:GetObject", "s3:PutObject"]);
        assert_eq!(
            summarize(&a, Some(&Qualifier::Objects("users/*".into()))),
            "get/put users/*"
        );
    }

    #[test]
    fn other_services_keep_their_action_names() {
        let a = actions(&["cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser"]);
        assert_eq!(summarize(&a, None), "AdminCreateUser, AdminGetUser");
        assert_eq!(
            summarize(&actions(&["lambda:InvokeFunction"]), None),
            "invoke"
        );
    }
}
