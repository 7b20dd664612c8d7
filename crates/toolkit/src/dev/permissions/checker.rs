//! Each request of a function decided against its deployed role.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{json, Value};

use super::report::{
    grants, CheckedCall, Decision, FunctionPermissions, Grant, PermissionsReport, UncheckedCall,
};
use crate::dev::request_log::{authorization, Authorization, Request};
use crate::engine::verify_permissions::{glob, Call, DeployedRole, LocalEvaluator};

/// A function whose calls are checked.
#[derive(Debug, Clone)]
pub struct Principal {
    pub function: String,
    pub access_key: String,
    pub role: DeployedRole,
}

/// The checks so far, and the report they make.
pub struct Checker {
    by_key: BTreeMap<String, Principal>,
    report: PermissionsReport,
}

impl Checker {
    pub fn new(principals: Vec<Principal>) -> Checker {
        let mut report = PermissionsReport {
            evaluator: "the deployed role's policies (inline and attached, read from the \
                        emulator's IAM) evaluated in-process by iam-rs"
                .into(),
            ..Default::default()
        };
        for p in &principals {
            report.functions.insert(
                p.function.clone(),
                FunctionPermissions {
                    role_arn: p.role.arn.clone(),
                    grants: grants(&p.role),
                    ..Default::default()
                },
            );
        }
        Checker {
            by_key: principals
                .into_iter()
                .map(|p| (p.access_key.clone(), p))
                .collect(),
            report,
        }
    }

    /// Takes the role's policies as they are now; what its grants were exercised by is
    /// kept for the grants that remain.
    pub fn update_role(&mut self, function: &str, role: DeployedRole) {
        let Some(entry) = self.report.functions.get_mut(function) else {
            return;
        };
        let mut fresh = grants(&role);
        for g in &mut fresh {
            if let Some(old) = entry
                .grants
                .iter()
                .find(|o| o.action == g.action && o.resource == g.resource)
            {
                g.exercised_by.clone_from(&old.exercised_by);
            }
        }
        entry.grants = fresh;
        entry.role_arn.clone_from(&role.arn);
        for p in self.by_key.values_mut().filter(|p| p.function == function) {
            p.role = role.clone();
        }
    }

    /// The role ARN of each function that holds one of these keys.
    pub fn roles_of<'a>(&self, keys: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
        keys.filter_map(|k| self.by_key.get(k))
            .map(|p| (p.function.clone(), p.role.arn.clone()))
            .collect()
    }

    /// The function a key belongs to.
    pub fn function_of(&self, access_key: &str) -> Option<&str> {
        self.by_key.get(access_key).map(|p| p.function.as_str())
    }

    pub fn report(&self) -> &PermissionsReport {
        &self.report
    }

    /// Checks one request; `trigger` is what the function was running for. Returns the
    /// line to print when the call is denied (the first time that call is seen).
    pub fn observe(&mut self, request: &Request, trigger: &str) -> Result<Option<String>> {
        let Some(principal) = self.by_key.get(&request.access_key) else {
            self.report.other_requests += 1;
            return Ok(None);
        };
        let function = principal.function.clone();
        let entry = self
            .report
            .functions
            .get_mut(&function)
            .expect("every principal has an entry");
        let checked = match authorization(request, account_of(principal)) {
            Authorization::Iam {
                action,
                resource,
                context,
            } => Ok((action, resource, context)),
            Authorization::NotByIam(why) => Err(format!("not authorized by IAM: {why}")),
            Authorization::Unknown(reason) => Err(reason),
        };
        let (action, resource, context) = match checked {
            Ok(call) => call,
            Err(reason) => {
                let call = format!(
                    "{}:{}",
                    request.service,
                    request.operation.as_deref().unwrap_or("?")
                );
                count_unchecked(&mut entry.unchecked, call, reason);
                return Ok(None);
            }
        };
        let decision = evaluate(&principal.role, &action, &resource, &context)?;
        if decision == Decision::Allowed {
            mark_exercised(&mut entry.grants, &action, &resource, trigger);
        }
        // Decided again each time (the role may have changed); counted per decision.
        if let Some(seen) = entry
            .calls
            .iter_mut()
            .find(|c| c.action == action && c.resource == resource && c.decision == decision)
        {
            seen.count += 1;
            seen.triggers.insert(trigger.to_string());
            return Ok(None);
        }
        let missing = (decision != Decision::Allowed)
            .then(|| json!({"Effect": "Allow", "Action": action, "Resource": resource}));
        let line = missing.as_ref().map(|statement| {
            format!(
                "DENIED: {function} ({trigger}) called {action} on {resource}: {} of role {}; \
                 it lacks {statement}",
                if decision == Decision::ExplicitDeny {
                    "a Deny statement matches it"
                } else {
                    "no statement allows it"
                },
                principal.role.name,
            )
        });
        entry.calls.push(CheckedCall {
            action,
            resource,
            decision,
            count: 1,
            triggers: BTreeSet::from([trigger.to_string()]),
            missing_statement: missing,
        });
        entry.calls.sort_by(|a, b| {
            (&a.action, &a.resource, a.decision as u8).cmp(&(
                &b.action,
                &b.resource,
                b.decision as u8,
            ))
        });
        Ok(line)
    }

    /// Whether a request of a function is denied by its role as last read, without
    /// recording it: the message AWS would give, or `None` (allowed, or not a function's
    /// request, or not an IAM-authorized one).
    pub fn denial(&self, request: &Request) -> Result<Option<String>> {
        let Some(principal) = self.by_key.get(&request.access_key) else {
            return Ok(None);
        };
        let account = account_of(principal);
        let Authorization::Iam {
            action,
            resource,
            context,
        } = authorization(request, account)
        else {
            return Ok(None);
        };
        let why = match evaluate(&principal.role, &action, &resource, &context)? {
            Decision::Allowed => return Ok(None),
            Decision::ExplicitDeny => "with an explicit deny in an identity-based policy",
            Decision::ImplicitDeny => "because no identity-based policy allows the action",
        };
        Ok(Some(format!(
            "User: arn:aws:sts::{account}:assumed-role/{}/{} is not authorized to perform: \
             {action} on resource: {resource} {why} (decided by dev)",
            principal.role.name, principal.function
        )))
    }

    /// Writes the report (pretty JSON, keys in a fixed order).
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.report)? + "\n";
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
    }
}

/// The account of a function's role (from its ARN).
fn account_of(principal: &Principal) -> &str {
    principal.role.arn.split(':').nth(4).unwrap_or_default()
}

/// The role's decision on one call, with the request's condition keys.
fn evaluate(
    role: &DeployedRole,
    action: &str,
    resource: &str,
    context: &BTreeMap<String, String>,
) -> Result<Decision> {
    let mut iam_context = iam_rs::Context::new();
    for (k, v) in context {
        iam_context = iam_context.with_string(k.clone(), v.clone());
    }
    iam_context = iam_context.with_string("aws:PrincipalArn", role.arn.clone());
    let documents: Vec<Value> = role.documents.iter().map(|(_, d)| d.clone()).collect();
    let call = Call {
        action: action.to_string(),
        resource: resource.to_string(),
    };
    Ok(
        match LocalEvaluator::evaluate(&documents, &call, iam_context)? {
            iam_rs::Decision::Allow => Decision::Allowed,
            iam_rs::Decision::Deny => Decision::ExplicitDeny,
            iam_rs::Decision::NotApplicable => Decision::ImplicitDeny,
        },
    )
}

fn count_unchecked(unchecked: &mut Vec<UncheckedCall>, call: String, reason: String) {
    match unchecked
        .iter_mut()
        .find(|u| u.call == call && u.reason == reason)
    {
        Some(u) => u.count += 1,
        None => {
            unchecked.push(UncheckedCall {
                call,
                reason,
                count: 1,
            });
            unchecked.sort_by(|a, b| a.call.cmp(&b.call));
        }
    }
}

/// Records `trigger` on every grant that covers an allowed call.
fn mark_exercised(grants: &mut [Grant], action: &str, resource: &str, trigger: &str) {
    let action = action.to_ascii_lowercase();
    for g in grants.iter_mut() {
        if glob(&g.action.to_ascii_lowercase(), &action) && glob(&g.resource, resource) {
            g.exercised_by.insert(trigger.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dev::permissions::{read_report, report_path};

    fn role() -> DeployedRole {
        DeployedRole {
            arn: "arn:aws:iam::123456789012:role/app-dev-events".into(),
            name: "app-dev-events".into(),
            documents: vec![(
                "p".into(),
                json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                     "Resource": "arn:aws:s3:::photos/users/*"},
                    {"Effect": "Allow", "Action": "dynamodb:Query",
                     "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/t"},
                    {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                     "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*"}]}),
            )],
        }
    }

    fn request(service: &str, operation: &str, params: &[(&str, &str)]) -> Request {
        Request::for_test("ASIAEVENTS", service, operation, params)
    }

    #[test]
    fn calls_are_decided_by_the_role_and_grants_marked_exercised() {
        let mut checker = Checker::new(vec![Principal {
            function: "app-dev-events".into(),
            access_key: "ASIAEVENTS".into(),
            role: role(),
        }]);
        let put = request(
            "s3",
            "PutObject",
            &[("Bucket", "photos"), ("Key", "users/u/1.jpg")],
        );
        assert_eq!(checker.observe(&put, "POST /events").unwrap(), None);
        assert_eq!(
            checker
                .observe(&put, "presigned URL used by a client")
                .unwrap(),
            None
        );
        let outside = request(
            "s3",
            "PutObject",
            &[("Bucket", "photos"), ("Key", "admin/x")],
        );
        let line = checker.observe(&outside, "POST /events").unwrap().unwrap();
        assert!(
            line.contains(
                "app-dev-events (POST /events) called s3:PutObject on arn:aws:s3:::photos/admin/x"
            ),
            "{line}"
        );
        assert!(line.contains("no statement allows it"), "{line}");
        assert_eq!(checker.observe(&outside, "x").unwrap(), None, "said once");
        let unknown = request("dynamodb", "TransactWriteItems", &[]);
        checker.observe(&unknown, "POST /events").unwrap();
        let mut other = put.clone();
        other.access_key = "test".into();
        checker.observe(&other, "").unwrap();

        let report = checker.report();
        assert_eq!(report.other_requests, 1);
        let denied = report.denied();
        assert_eq!(denied.len(), 1);
        assert_eq!(denied[0].1.count, 2);
        assert_eq!(
            denied[0].1.missing_statement,
            Some(
                json!({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::photos/admin/x"})
            )
        );
        let f = &report.functions["app-dev-events"];
        assert_eq!(f.unchecked.len(), 1);
        let put_grant = f
            .grants
            .iter()
            .find(|g| g.action == "s3:PutObject")
            .unwrap();
        assert_eq!(
            put_grant.exercised_by,
            BTreeSet::from([
                "POST /events".to_string(),
                "presigned URL used by a client".to_string()
            ])
        );
        // Never called: GetObject and Query are unexercised; the runtime's logs have a reason.
        let unexercised: Vec<&str> = report
            .unexercised()
            .iter()
            .map(|(_, g)| g.action.as_str())
            .collect();
        assert_eq!(unexercised, ["dynamodb:Query", "s3:GetObject"]);

        let table = report.grants_table();
        assert!(table.contains("| `app-dev-events` | `s3:PutObject` | `arn:aws:s3:::photos/users/*` | `POST /events`, `presigned URL used by a client` |"), "{table}");
        assert!(table.contains("| `dynamodb:Query` | `arn:aws:dynamodb:us-east-1:123456789012:table/t` | **not exercised** |"), "{table}");
        assert!(table.contains("— (used by the Lambda service"), "{table}");

        let dir = tempfile::tempdir().unwrap();
        let path = report_path(dir.path());
        checker.write(&path).unwrap();
        assert_eq!(&read_report(&path).unwrap(), report);
    }

    #[test]
    fn an_explicit_deny_is_told_apart() {
        let mut r = role();
        r.documents.push((
            "deny".into(),
            json!({"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::photos/users/blocked/*"}}),
        ));
        let mut checker = Checker::new(vec![Principal {
            function: "f".into(),
            access_key: "ASIAEVENTS".into(),
            role: r,
        }]);
        let blocked = request(
            "s3",
            "GetObject",
            &[("Bucket", "photos"), ("Key", "users/blocked/1")],
        );
        let line = checker.observe(&blocked, "t").unwrap().unwrap();
        assert!(line.contains("a Deny statement matches it"), "{line}");
        assert_eq!(
            checker.report().denied()[0].1.decision,
            Decision::ExplicitDeny
        );
        let message = checker.denial(&blocked).unwrap().unwrap();
        assert_eq!(
            message,
            "User: arn:aws:sts::123456789012:assumed-role/app-dev-events/f is not \
            authorized to perform: s3:GetObject on resource: arn:aws:s3:::photos/users/blocked/1 \
            with an explicit deny in an identity-based policy (decided by dev)"
        );
        let allowed = request(
            "s3",
            "GetObject",
            &[("Bucket", "photos"), ("Key", "users/u/1")],
        );
        assert_eq!(checker.denial(&allowed).unwrap(), None);
    }
}
