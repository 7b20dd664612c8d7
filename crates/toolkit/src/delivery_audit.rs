//! Checks a synthesized delivery stack (the CI roles) against the stage it delivers, on
//! the template as it would be deployed: the execution role covers every handler action
//! the stage's resource types need, and no role reaches past the stage.
use std::collections::BTreeSet;

/// IAM actions AWS authorizes only on `*` (they list the account, not a role): a handler
/// that needs one cannot have it scoped to the stage's roles.
const IAM_ACCOUNT_LISTINGS: [&str; 3] = [
    "iam:ListRoles",
    "iam:ListPolicies",
    "iam:ListInstanceProfiles",
];

use serde_json::Value;

use crate::synth::SynthesizedStack;
use crate::Stage;
use constructs::delivery::{DEPLOY_ROLE, EXECUTION_ROLE, PLAN_ROLE};

/// Problems found, one line each; empty when the delivery stack is sound.
pub fn audit(
    stage: Stage,
    stacks: &[SynthesizedStack],
    delivery: &SynthesizedStack,
) -> anyhow::Result<Vec<String>> {
    let prefix = &Prefix::of(stage);
    let template: &Value = &delivery.template;
    let mut problems = Vec::new();
    let role = |id: &str| -> Vec<Value> {
        template["Resources"][id]["Properties"]["Policies"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().cloned())
            .flatten()
            .collect()
    };

    let granted: BTreeSet<String> = allowed(&role(EXECUTION_ROLE))
        .flat_map(|s| strings(&s["Action"]))
        .collect();
    for type_name in resource_types(stacks)? {
        let Some(info) = cfn::registry::lookup(&type_name) else {
            problems.push(format!("{type_name}: not in the registry"));
            continue;
        };
        let p = &info.permissions;
        let needed: BTreeSet<&str> = [p.create, p.read, p.update, p.delete]
            .concat()
            .into_iter()
            .collect();
        for action in needed {
            if !granted.contains(action) {
                problems.push(format!(
                    "{EXECUTION_ROLE} lacks {action}, which {type_name} needs"
                ));
            }
        }
    }

    for id in [EXECUTION_ROLE, DEPLOY_ROLE, PLAN_ROLE] {
        for statement in allowed(&role(id)) {
            for action in strings(&statement["Action"]) {
                if action == "*" || action.ends_with(":*") {
                    problems.push(format!("{id} allows every action of a service: {action}"));
                }
            }
        }
    }
    for id in [DEPLOY_ROLE, PLAN_ROLE] {
        for statement in allowed(&role(id)) {
            for resource in statement["Resource"].as_array().into_iter().flatten() {
                if !within_stage(resource, prefix) {
                    problems.push(format!("{id} reaches past the stage: {resource}"));
                }
            }
        }
        if !denies_delivery_stack(&role(id), prefix) {
            problems.push(format!("{id} could deploy the delivery stack itself"));
        }
    }
    for statement in allowed(&role(EXECUTION_ROLE)) {
        let iam = strings(&statement["Action"])
            .any(|a| a.starts_with("iam:") && !IAM_ACCOUNT_LISTINGS.contains(&a.as_str()));
        let scoped = statement["Resource"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| within_stage(r, prefix)));
        if iam && !scoped {
            problems.push(format!(
                "{EXECUTION_ROLE} grants IAM actions beyond the stage's roles"
            ));
        }
    }
    Ok(problems)
}

fn allowed(statements: &[Value]) -> impl Iterator<Item = &Value> {
    statements.iter().filter(|s| s["Effect"] == "Allow")
}

fn strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    let list = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    list.into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
}

/// How the stage's names begin: `bubblebatch-dev-` (stacks, roles, buckets) and
/// `/bubblebatch/dev/` (SSM parameters).
struct Prefix {
    names: String,
    parameters: String,
}

impl Prefix {
    fn of(stage: Stage) -> Prefix {
        Prefix {
            names: format!("{}-{}-", stage.app, stage.name),
            parameters: format!("/{}/{}/", stage.app, stage.name),
        }
    }
}

/// A `Fn::Sub` ARN naming the stage's stacks, roles, buckets or parameters, or the
/// delivery stack's execution role.
fn within_stage(resource: &Value, prefix: &Prefix) -> bool {
    let sub = resource["Fn::Sub"].as_str().unwrap_or_default();
    let names = &prefix.names;
    let names_stage = [
        format!(":stack/{names}"),
        format!(":role/{names}"),
        format!(":::{names}"),
        format!(":parameter{}", prefix.parameters),
    ];
    names_stage.iter().any(|n| sub.contains(n.as_str()))
        || resource["Fn::GetAtt"][0].as_str() == Some(EXECUTION_ROLE)
}

fn denies_delivery_stack(statements: &[Value], prefix: &Prefix) -> bool {
    let stack = format!(":stack/{}delivery/", prefix.names);
    statements.iter().any(|s| {
        s["Effect"] == "Deny"
            && strings(&s["Action"]).any(|a| a == "cloudformation:*")
            && s["Resource"][0]["Fn::Sub"]
                .as_str()
                .is_some_and(|r| r.contains(&stack))
    })
}

fn resource_types(stacks: &[SynthesizedStack]) -> anyhow::Result<BTreeSet<String>> {
    let mut types = BTreeSet::new();
    for stack in stacks {
        for resource in stack.resources() {
            if let Some(t) = resource.1["Type"].as_str() {
                types.insert(t.to_string());
            }
        }
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformance::tests::{budget_only, STAGES};

    fn sound() -> (Vec<SynthesizedStack>, SynthesizedStack) {
        let stacks = budget_only(STAGES[0]);
        let delivery = constructs::delivery::delivery_stack(&stacks)
            .unwrap()
            .synthesize();
        (stacks.iter().map(|s| s.synthesize()).collect(), delivery)
    }

    fn audit_edited(edit: impl FnOnce(&mut Value)) -> Vec<String> {
        let (stacks, mut delivery) = sound();
        let mut template: Value = (*delivery.template).clone();
        edit(&mut template);
        delivery.set_template(template);
        audit(STAGES[0], &stacks, &delivery).unwrap()
    }

    fn statements<'a>(template: &'a mut Value, role: &str) -> &'a mut Vec<Value> {
        template["Resources"][role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .as_array_mut()
            .unwrap()
    }

    #[test]
    fn the_delivery_stack_of_a_stage_passes() {
        let (stacks, delivery) = sound();
        assert_eq!(
            audit(STAGES[0], &stacks, &delivery).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_missing_handler_action_is_named() {
        let problems = audit_edited(|t| {
            let handlers = &mut statements(t, EXECUTION_ROLE)[0]["Action"];
            let actions = handlers.as_array_mut().unwrap();
            actions.retain(|a| a != "budgets:ModifyBudget");
        });
        assert_eq!(
            problems,
            ["CloudFormationExecutionRole lacks budgets:ModifyBudget, which AWS::Budgets::Budget needs"]
        );
    }

    #[test]
    fn a_whole_service_or_an_unscoped_resource_is_refused() {
        let problems = audit_edited(|t| {
            let deploy = statements(t, DEPLOY_ROLE);
            deploy[0]["Action"]
                .as_array_mut()
                .unwrap()
                .push("s3:*".into());
            deploy[0]["Resource"] = serde_json::json!(["*"]);
        });
        assert!(
            problems
                .iter()
                .any(|p| p.contains("every action of a service: s3:*")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("reaches past the stage: \"*\"")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_role_that_could_redeploy_the_delivery_stack_is_refused() {
        let problems = audit_edited(|t| {
            statements(t, PLAN_ROLE).retain(|s| s["Effect"] != "Deny");
        });
        assert_eq!(
            problems,
            ["PlanRole could deploy the delivery stack itself"]
        );
    }
}
