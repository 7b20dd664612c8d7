//! The per-function permission report, read back from the synthesized templates (not
//! from construct state), so it shows exactly what CloudFormation will create.
use serde::Serialize;
use serde_json::Value;

use super::SynthesizedStack;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionPermissions {
    pub stack: String,
    pub function: String,
    pub statements: Vec<PermissionLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionLine {
    pub effect: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

impl FunctionPermissions {
    /// Every action granted, sorted: what a test of least privilege compares against.
    pub fn actions(&self) -> Vec<String> {
        let mut actions: Vec<String> = self
            .statements
            .iter()
            .filter(|s| s.effect == "Allow")
            .flat_map(|s| s.actions.clone())
            .collect();
        actions.sort();
        actions.dedup();
        actions
    }
}

pub fn permissions(stacks: &[SynthesizedStack]) -> Vec<FunctionPermissions> {
    let mut report = Vec::new();
    for stack in stacks {
        let resources = &stack.template["Resources"];
        let Some(all) = resources.as_object() else {
            continue;
        };
        for (id, resource) in all {
            if resource["Type"] != "AWS::Lambda::Function" {
                continue;
            }
            let properties = &resource["Properties"];
            let function = properties["FunctionName"]
                .as_str()
                .unwrap_or(id)
                .to_string();
            let role_id = properties["Role"]["Fn::GetAtt"][0]
                .as_str()
                .unwrap_or_default();
            let policies = resources[role_id]["Properties"]["Policies"].as_array();
            let statements = policies
                .into_iter()
                .flatten()
                .flat_map(|p| {
                    p["PolicyDocument"]["Statement"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .map(|s| PermissionLine {
                    effect: s["Effect"].as_str().unwrap_or_default().to_string(),
                    actions: strings(&s["Action"]),
                    resources: strings(&s["Resource"]),
                })
                .collect();
            report.push(FunctionPermissions {
                stack: stack.name.clone(),
                function,
                statements,
            });
        }
    }
    report
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(render).collect(),
        other => vec![render(other)],
    }
}

/// A resource as a reader wants it: ARN templates with `${AWS::...}` shortened.
fn render(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Object(map) if map.contains_key("Fn::Sub") => {
            map["Fn::Sub"].as_str().unwrap_or_default().to_string()
        }
        Value::Object(map) if map.contains_key("Ref") => {
            format!("{{{}}}", map["Ref"].as_str().unwrap_or_default())
        }
        Value::Object(map) if map.contains_key("Fn::GetAtt") => {
            format!(
                "{{{}.Arn}}",
                map["Fn::GetAtt"][0].as_str().unwrap_or_default()
            )
        }
        other => other.to_string(),
    };
    text.replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", "{region}")
        .replace("${AWS::AccountId}", "{account}")
}

/// Markdown: one section per function, one row per statement.
pub fn render_markdown(stage: &str, report: &[FunctionPermissions]) -> String {
    let mut out = format!("# Permissions per function ({stage})\n");
    for function in report {
        out.push_str(&format!(
            "\n## {} ({})\n\n",
            function.function, function.stack
        ));
        out.push_str("| Effect | Actions | Resources |\n|---|---|---|\n");
        for line in &function.statements {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                line.effect,
                line.actions.join("<br>"),
                line.resources.join("<br>")
            ));
        }
    }
    out
}
