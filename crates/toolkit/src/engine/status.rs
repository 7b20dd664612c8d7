//! `status`: a stage's health in one look, for people and for CI gates.
//!
//! Each stack's state and last update; the stage's alarms in ALARM; each function's
//! errors, throttles and p90 duration over the last hour (GetMetricData); the API's 5xx
//! rate; the budget's actual and forecast spend (DescribeBudget).
//!
//! Unhealthy (exit 3): a stack missing, failed, rolled back or still in progress; an
//! alarm in ALARM; actual spend over the budget. The metrics are shown, not judged: the
//! alarms carry the thresholds.
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Result};
use serde::Serialize;
use serde_json::Value;

use super::alarms::AlarmSource;
use super::cfn::Cfn;
use super::deploy::Engine;
use super::template::StackTemplate;

/// `status` exit codes (besides 1 error, 2 usage).
pub const EXIT_HEALTHY: i32 = 0;
pub const EXIT_UNHEALTHY: i32 = 3;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StackHealth {
    pub name: String,
    pub stack_name: String,
    /// `NOT_DEPLOYED` when missing.
    pub status: String,
    pub last_updated: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlarmFiring {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FunctionHealth {
    pub name: String,
    pub invocations: f64,
    pub errors: f64,
    pub throttles: f64,
    /// p90 of Duration in milliseconds; `None` without invocations.
    pub p90_ms: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ApiHealth {
    pub api_id: String,
    pub requests: f64,
    pub errors_5xx: f64,
    /// 5xx / requests; `None` without requests.
    pub rate_5xx: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BudgetHealth {
    pub name: String,
    pub limit: f64,
    pub actual: f64,
    pub forecast: Option<f64>,
    pub unit: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct StageStatus {
    pub stage: String,
    pub region: String,
    pub stacks: Vec<StackHealth>,
    /// Declared alarms found in CloudWatch.
    pub alarms_watched: usize,
    pub alarms_in_alarm: Vec<AlarmFiring>,
    /// The last hour.
    pub functions: Vec<FunctionHealth>,
    pub api: Option<ApiHealth>,
    pub budget: Option<BudgetHealth>,
    /// Why the stage is unhealthy (empty: healthy).
    pub problems: Vec<String>,
    /// What could not be read, or is worth knowing.
    pub notes: Vec<String>,
    pub healthy: bool,
}

impl StageStatus {
    pub fn exit_code(&self) -> i32 {
        if self.healthy {
            EXIT_HEALTHY
        } else {
            EXIT_UNHEALTHY
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("status serializes") + "\n"
    }

    pub fn render(&self) -> String {
        let mut out = format!("{} ({})\n\nstacks:\n", self.stage, self.region);
        let width = self.stacks.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for s in &self.stacks {
            out.push_str(&format!(
                "  {:width$}  {:<28} {}\n",
                s.name,
                s.status,
                s.last_updated.as_deref().unwrap_or("-")
            ));
        }
        out.push_str(&format!(
            "\nalarms: {} watched, {} in ALARM\n",
            self.alarms_watched,
            self.alarms_in_alarm.len()
        ));
        for a in &self.alarms_in_alarm {
            out.push_str(&format!("  ALARM {}: {}\n", a.name, a.reason));
        }
        if !self.functions.is_empty() {
            out.push_str("\nfunctions, last hour (invocations, errors, throttles, p90):\n");
            let width = self
                .functions
                .iter()
                .map(|f| f.name.len())
                .max()
                .unwrap_or(0);
            for f in &self.functions {
                out.push_str(&format!(
                    "  {:width$}  {:>6} {:>6} {:>6} {:>10}\n",
                    f.name,
                    f.invocations,
                    f.errors,
                    f.throttles,
                    f.p90_ms
                        .map(|p| format!("{p:.0} ms"))
                        .unwrap_or_else(|| "-".into())
                ));
            }
        }
        if let Some(api) = &self.api {
            out.push_str(&format!(
                "\napi {}: {} 5xx of {} requests ({}) in the last hour\n",
                api.api_id,
                api.errors_5xx,
                api.requests,
                api.rate_5xx
                    .map(|r| format!("{:.2} %", r * 100.0))
                    .unwrap_or_else(|| "no requests".into())
            ));
        }
        if let Some(b) = &self.budget {
            out.push_str(&format!(
                "\nbudget {}: actual {:.2} {}, forecast {} of {:.2} {}\n",
                b.name,
                b.actual,
                b.unit,
                b.forecast
                    .map(|f| format!("{f:.2} {}", b.unit))
                    .unwrap_or_else(|| "-".into()),
                b.limit,
                b.unit
            ));
        }
        for n in &self.notes {
            out.push_str(&format!("\nnote: {n}"));
        }
        if !self.notes.is_empty() {
            out.push('\n');
        }
        if self.healthy {
            out.push_str("\nhealthy\n");
        } else {
            out.push_str("\nUNHEALTHY:\n");
            for p in &self.problems {
                out.push_str(&format!("  - {p}\n"));
            }
        }
        out
    }
}

fn settled_ok(status: &str) -> bool {
    matches!(
        status,
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE"
    )
}

/// The AWS clients `status` reads from, besides CloudFormation.
pub struct StatusClients<'a> {
    pub cloudwatch: &'a aws_sdk_cloudwatch::Client,
    pub budgets: &'a aws_sdk_budgets::Client,
    pub alarms: &'a dyn AlarmSource,
    pub region: &'a str,
}

/// Reads the stage's status.
pub async fn read<C: Cfn>(
    engine: &Engine<'_, C>,
    clients: &StatusClients<'_>,
    stacks: &[StackTemplate],
) -> Result<StageStatus> {
    let mut st = StageStatus {
        stage: engine.stage.name().to_string(),
        region: clients.region.to_string(),
        ..StageStatus::default()
    };
    let mut account = None;
    let mut deployed = BTreeMap::new();
    for s in stacks {
        let info = engine.describe(&s.stack_name).await?;
        let status = info
            .as_ref()
            .map(|i| i.status.clone())
            .unwrap_or_else(|| "NOT_DEPLOYED".into());
        if !settled_ok(&status) {
            st.problems.push(format!("stack {} is {status}", s.name));
        }
        if let Some(i) = &info {
            account = account.or_else(|| {
                i.stack_id
                    .as_deref()
                    .and_then(|id| id.split(':').nth(4))
                    .map(str::to_string)
            });
            deployed.insert(s.stack_name.clone(), ());
        }
        st.stacks.push(StackHealth {
            name: s.name.clone(),
            stack_name: s.stack_name.clone(),
            status,
            last_updated: info.and_then(|i| i.last_updated),
        });
    }

    // Alarms: every alarm the templates declare.
    let mut names: Vec<String> = stacks
        .iter()
        .flat_map(|s| s.resources_of("AWS::CloudWatch::Alarm"))
        .filter_map(|(_, p)| p.get("AlarmName").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    if !names.is_empty() {
        let found = clients
            .alarms
            .describe(&names)
            .await
            .map_err(|e| anyhow!("DescribeAlarms: {e}"))?;
        st.alarms_watched = found.len();
        if found.len() < names.len() {
            st.notes.push(format!(
                "{} declared alarm(s) not found in CloudWatch",
                names.len() - found.len()
            ));
        }
        for a in found.into_iter().filter(|a| a.state == "ALARM") {
            st.problems
                .push(format!("alarm {} is in ALARM: {}", a.name, a.reason));
            st.alarms_in_alarm.push(AlarmFiring {
                name: a.name,
                reason: a.reason,
            });
        }
    }

    // Functions and the API: their physical names from the deployed stacks.
    let mut functions = Vec::new();
    let mut api = None;
    for s in stacks
        .iter()
        .filter(|s| deployed.contains_key(&s.stack_name))
    {
        for (id, props) in s.resources_of("AWS::Lambda::Function") {
            let name = match props.get("FunctionName").and_then(Value::as_str) {
                Some(n) => Some(n.to_string()),
                None => engine
                    .cfn
                    .physical_id(&s.stack_name, id)
                    .await
                    .ok()
                    .flatten(),
            };
            functions.extend(name);
        }
        if let Some((id, _)) = s.resources_of("AWS::ApiGatewayV2::Api").first() {
            api = api.or(engine
                .cfn
                .physical_id(&s.stack_name, id)
                .await
                .ok()
                .flatten());
        }
    }
    let (fns, api_health) = metrics(clients.cloudwatch, &functions, api.as_deref()).await?;
    st.functions = fns;
    st.api = api_health;

    // Budget: the first one the templates declare.
    let budget = stacks
        .iter()
        .flat_map(|s| s.resources_of("AWS::Budgets::Budget"))
        .find_map(|(_, p)| p.pointer("/Budget/BudgetName").and_then(Value::as_str));
    match (budget, &account) {
        (Some(name), Some(account)) => match read_budget(clients.budgets, account, name).await {
            Ok(b) => {
                if b.actual > b.limit {
                    st.problems.push(format!(
                        "budget {}: actual spend {:.2} {} is over the limit {:.2}",
                        b.name, b.actual, b.unit, b.limit
                    ));
                }
                if b.forecast.is_some_and(|f| f > b.limit) {
                    st.notes
                        .push(format!("budget {}: the forecast is over the limit", b.name));
                }
                st.budget = Some(b);
            }
            Err(e) => st
                .notes
                .push(format!("budget {name} not read, skipped: {e:#}")),
        },
        (Some(name), None) => st.notes.push(format!(
            "budget {name} not read: no deployed stack names the account"
        )),
        (None, _) => {}
    }
    st.healthy = st.problems.is_empty();
    Ok(st)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

async fn metrics(
    cw: &aws_sdk_cloudwatch::Client,
    functions: &[String],
    api: Option<&str>,
) -> Result<(Vec<FunctionHealth>, Option<ApiHealth>)> {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

    let query = |id: String, namespace: &str, metric: &str, dims: &[(&str, &str)], stat: &str| {
        let mut m = Metric::builder().namespace(namespace).metric_name(metric);
        for (k, v) in dims {
            m = m.dimensions(Dimension::builder().name(*k).value(*v).build());
        }
        MetricDataQuery::builder()
            .id(id)
            .metric_stat(
                MetricStat::builder()
                    .metric(m.build())
                    .period(3600)
                    .stat(stat)
                    .build(),
            )
            .return_data(true)
            .build()
    };
    let mut queries = Vec::new();
    for (i, f) in functions.iter().enumerate() {
        let dims = [("FunctionName", f.as_str())];
        queries.push(query(
            format!("i{i}"),
            "AWS/Lambda",
            "Invocations",
            &dims,
            "Sum",
        ));
        queries.push(query(format!("e{i}"), "AWS/Lambda", "Errors", &dims, "Sum"));
        queries.push(query(
            format!("t{i}"),
            "AWS/Lambda",
            "Throttles",
            &dims,
            "Sum",
        ));
        queries.push(query(
            format!("d{i}"),
            "AWS/Lambda",
            "Duration",
            &dims,
            "p90",
        ));
    }
    if let Some(api) = api {
        let dims = [("ApiId", api), ("Stage", "$default")];
        queries.push(query(
            "apicount".into(),
            "AWS/ApiGateway",
            "Count",
            &dims,
            "Sum",
        ));
        queries.push(query(
            "api5xx".into(),
            "AWS/ApiGateway",
            "5xx",
            &dims,
            "Sum",
        ));
    }
    let mut values: BTreeMap<String, f64> = BTreeMap::new();
    let end = now_secs();
    for chunk in queries.chunks(500) {
        let mut token = None;
        loop {
            let out = cw
                .get_metric_data()
                .set_metric_data_queries(Some(chunk.to_vec()))
                .start_time(DateTime::from_secs(end - 3600))
                .end_time(DateTime::from_secs(end))
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| {
                    anyhow!(
                        "GetMetricData: {}",
                        aws_sdk_cloudwatch::error::DisplayErrorContext(e)
                    )
                })?;
            for r in out.metric_data_results() {
                // One hour, one period: the first value is the hour's.
                if let (Some(id), Some(v)) = (r.id(), r.values().first()) {
                    values.insert(id.to_string(), *v);
                }
            }
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
    }
    let get = |id: String| values.get(&id).copied();
    let fns = functions
        .iter()
        .enumerate()
        .map(|(i, f)| FunctionHealth {
            name: f.clone(),
            invocations: get(format!("i{i}")).unwrap_or(0.0),
            errors: get(format!("e{i}")).unwrap_or(0.0),
            throttles: get(format!("t{i}")).unwrap_or(0.0),
            p90_ms: get(format!("d{i}")),
        })
        .collect();
    let api = api.map(|id| {
        let requests = get("apicount".into()).unwrap_or(0.0);
        let errors_5xx = get("api5xx".into()).unwrap_or(0.0);
        ApiHealth {
            api_id: id.to_string(),
            requests,
            errors_5xx,
            rate_5xx: (requests > 0.0).then(|| errors_5xx / requests),
        }
    });
    Ok((fns, api))
}

async fn read_budget(
    budgets: &aws_sdk_budgets::Client,
    account: &str,
    name: &str,
) -> Result<BudgetHealth> {
    let out = budgets
        .describe_budget()
        .account_id(account)
        .budget_name(name)
        .send()
        .await
        .map_err(|e| anyhow!("{}", aws_sdk_budgets::error::DisplayErrorContext(e)))?;
    let b = out
        .budget()
        .ok_or_else(|| anyhow!("DescribeBudget answered without a budget"))?;
    let amount =
        |s: Option<&aws_sdk_budgets::types::Spend>| s.and_then(|s| s.amount().parse::<f64>().ok());
    let spend = b.calculated_spend();
    Ok(BudgetHealth {
        name: name.to_string(),
        limit: amount(b.budget_limit()).unwrap_or(0.0),
        actual: amount(spend.and_then(|s| s.actual_spend())).unwrap_or(0.0),
        forecast: amount(spend.and_then(|s| s.forecasted_spend())),
        unit: b
            .budget_limit()
            .map(|s| s.unit().to_string())
            .unwrap_or_else(|| "USD".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhealthy_stages_exit_3_and_say_why() {
        let mut st = StageStatus {
            stage: "dev".into(),
            region: "us-east-1".into(),
            stacks: vec![StackHealth {
                name: "Api".into(),
                stack_name: "app-dev-api".into(),
                status: "UPDATE_ROLLBACK_COMPLETE".into(),
                last_updated: Some("2026-11-30T12:00:00Z".into()),
            }],
            problems: vec!["stack Api is UPDATE_ROLLBACK_COMPLETE".into()],
            ..StageStatus::default()
        };
        assert_eq!(st.exit_code(), EXIT_UNHEALTHY);
        assert!(st
            .render()
            .contains("UNHEALTHY:\n  - stack Api is UPDATE_ROLLBACK_COMPLETE"));
        st.problems.clear();
        st.healthy = true;
        assert_eq!(st.exit_code(), EXIT_HEALTHY);
        let json: Value = serde_json::from_str(&st.to_json()).unwrap();
        assert_eq!(json["stacks"][0]["status"], "UPDATE_ROLLBACK_COMPLETE");
        assert_eq!(json["healthy"], true);
    }
}
