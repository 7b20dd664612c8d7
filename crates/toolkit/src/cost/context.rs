//! What pricing one resource needs to know about the rest of the stage: each function's
//! memory and invocations, how many APIs share the API traffic, which log groups hold
//! access logs. Built once per stage; usage names that match nothing are an error.
use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};

use super::prices::PriceTable;
use super::template::{schedule_runs_per_month, short_name, StackTemplate, TemplateResource};
use super::usage::{Rate, Usage};

/// Lambda's default memory when a template sets none.
const DEFAULT_MEMORY_MB: f64 = 128.0;

/// A resource's place in the stage: (stack display name, logical ID).
pub type Key = (String, String);

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionInfo {
    pub short_name: String,
    pub memory_mb: f64,
    pub arm64: bool,
    pub invocations: f64,
    pub duration_ms: f64,
    /// Where the invocations come from (a usage assumption or a schedule).
    pub basis: String,
}

pub struct Context<'a> {
    pub usage: &'a Usage,
    pub prices: &'a PriceTable,
    /// `<app>-<stage>-`: stripped from physical names to match usage names.
    pub prefix: String,
    pub functions: BTreeMap<Key, FunctionInfo>,
    /// Log group → the HTTP API requests whose access log lines it receives.
    pub access_logs: BTreeSet<Key>,
    counts: BTreeMap<&'static str, usize>,
}

impl<'a> Context<'a> {
    pub fn new(
        stacks: &[StackTemplate],
        usage: &'a Usage,
        prices: &'a PriceTable,
        prefix: &str,
        check_names: bool,
    ) -> Result<Context<'a>> {
        let mut ctx = Context {
            usage,
            prices,
            prefix: prefix.to_string(),
            functions: BTreeMap::new(),
            access_logs: BTreeSet::new(),
            counts: BTreeMap::new(),
        };
        let scheduled = scheduled_runs(stacks, prices.hours_per_month);
        for stack in stacks {
            for r in &stack.resources {
                *ctx.counts.entry(count_key(r)).or_default() += 1;
                match r.resource_type.as_str() {
                    "AWS::Lambda::Function" => {
                        let key = (stack.name.clone(), r.logical_id.clone());
                        let runs = scheduled.get(&key).copied();
                        let info = ctx.function_info(r, runs);
                        ctx.functions.insert(key, info);
                    }
                    "AWS::ApiGatewayV2::Stage" => {
                        if let Some(group) = r.reference(&["AccessLogSettings", "DestinationArn"]) {
                            ctx.access_logs.insert((stack.name.clone(), group));
                        }
                    }
                    _ => {}
                }
            }
        }
        if check_names {
            ctx.check_usage_names(stacks)?;
        }
        Ok(ctx)
    }

    /// How many resources of a kind share traffic declared for the whole stage.
    pub fn count(&self, kind: &str) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// The name a usage assumption uses for a resource: its physical name without
    /// `<app>-<stage>-`, else its logical ID.
    pub fn short_name(&self, r: &TemplateResource, name_property: &str) -> String {
        match r.string(&[name_property]) {
            Some(physical) => short_name(&physical, &self.prefix),
            None => r.logical_id.clone(),
        }
    }

    fn function_info(&self, r: &TemplateResource, scheduled: Option<f64>) -> FunctionInfo {
        let short_name = self.short_name(r, "FunctionName");
        let declared = self.usage.functions.iter().find(|f| f.name == short_name);
        let (invocations, duration_ms, basis) = match (declared, scheduled) {
            (Some(f), _) => (
                self.usage.monthly(f.invocations),
                f.avg_duration_ms,
                self.usage.explain(f.invocations, "invocations"),
            ),
            (None, Some(runs)) => (
                runs,
                self.usage.default_duration_ms,
                format!("its schedule: {} runs a month", super::format::count(runs)),
            ),
            (None, None) => (
                0.0,
                self.usage.default_duration_ms,
                "no usage declared for it: 0 invocations".to_string(),
            ),
        };
        FunctionInfo {
            short_name,
            memory_mb: r.number(&["MemorySize"]).unwrap_or(DEFAULT_MEMORY_MB),
            arm64: r
                .prop(&["Architectures"])
                .and_then(|a| a.get(0))
                .and_then(|a| a.as_str())
                == Some("arm64"),
            invocations,
            duration_ms,
            basis,
        }
    }

    /// A function of the stage by its physical name (`/aws/lambda/<name>` log groups).
    pub fn function_named(&self, physical: &str) -> Option<&FunctionInfo> {
        let short = short_name(physical, &self.prefix);
        self.functions.values().find(|f| f.short_name == short)
    }

    /// Stage-wide traffic split evenly over `n` resources: `(amount, basis)`.
    pub fn share(&self, rate: Rate, unit: &str, kind: &str) -> (f64, String) {
        let n = self.count(kind).max(1) as f64;
        let total = self.usage.monthly(rate);
        let basis = self.usage.explain(rate, unit);
        if n > 1.0 {
            (total / n, format!("{basis}, split over {n} {kind}"))
        } else {
            (total, basis)
        }
    }

    /// Every function, table and bucket a usage assumption names must exist: a typo
    /// would otherwise price as zero.
    fn check_usage_names(&self, stacks: &[StackTemplate]) -> Result<()> {
        let names = |resource_type: &str, property: &str| -> BTreeSet<String> {
            stacks
                .iter()
                .flat_map(|s| &s.resources)
                .filter(|r| r.resource_type == resource_type)
                .map(|r| self.short_name(r, property))
                .collect()
        };
        let checks = [
            (
                "function",
                names("AWS::Lambda::Function", "FunctionName"),
                self.usage
                    .functions
                    .iter()
                    .map(|f| &f.name)
                    .collect::<Vec<_>>(),
            ),
            (
                "table",
                names("AWS::DynamoDB::Table", "TableName"),
                self.usage.tables.iter().map(|t| &t.name).collect(),
            ),
            (
                "bucket",
                names("AWS::S3::Bucket", "BucketName"),
                self.usage.buckets.iter().map(|b| &b.name).collect(),
            ),
        ];
        for (kind, known, declared) in checks {
            for name in declared {
                if !known.contains(name) {
                    let known: Vec<&str> = known.iter().map(String::as_str).collect();
                    bail!(
                        "the usage assumptions name {kind} '{name}', which this stage does not \
                         have; its {kind}s: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    );
                }
            }
        }
        Ok(())
    }
}

/// Kinds whose stage-wide usage is split evenly between resources of that kind.
fn count_key(r: &TemplateResource) -> &'static str {
    match r.resource_type.as_str() {
        "AWS::ApiGatewayV2::Api" => match r.string(&["ProtocolType"]).as_deref() {
            Some("WEBSOCKET") => "WebSocket APIs",
            _ => "HTTP APIs",
        },
        "AWS::CloudFront::Distribution" => "distributions",
        "AWS::SNS::Topic" => "topics",
        "AWS::SQS::Queue" => "queues",
        "AWS::SecretsManager::Secret" => "secrets",
        "AWS::Cognito::UserPool" => "user pools",
        "AWS::EC2::NatGateway" => "private network paths",
        "AWS::EC2::VPCEndpoint"
            if r.string(&["VpcEndpointType"]).as_deref() == Some("Interface") =>
        {
            "private network paths"
        }
        _ => "other",
    }
}

/// Functions a `rate(...)` schedule of the same stack invokes: runs a month.
fn scheduled_runs(stacks: &[StackTemplate], hours_per_month: f64) -> BTreeMap<Key, f64> {
    let mut runs = BTreeMap::new();
    for stack in stacks {
        for r in &stack.resources {
            if r.resource_type != "AWS::Scheduler::Schedule"
                || r.string(&["State"]).as_deref() == Some("DISABLED")
            {
                continue;
            }
            let (Some(expression), Some(target)) = (
                r.string(&["ScheduleExpression"]),
                r.reference(&["Target", "Arn"]),
            ) else {
                continue;
            };
            if let Some(n) = schedule_runs_per_month(&expression, hours_per_month) {
                *runs.entry((stack.name.clone(), target)).or_default() += n;
            }
        }
    }
    runs
}
