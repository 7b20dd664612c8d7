//! A CloudWatch dashboard of metric graphs. The body is JSON inside a `Fn::Sub`, so
//! graphs can name resources whose IDs are known only at deploy time (an API ID).
use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::stack::Stack;
use cfn::cloudwatch::dashboard as cw;
use cfn_core::{Expr, LogicalId};

const WIDTH: u32 = 12;
const HEIGHT: u32 = 6;

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub id: LogicalId,
    name: String,
    widgets: Vec<Value>,
    variables: BTreeMap<String, Expr>,
}

impl Dashboard {
    pub fn new(stack: &Stack, id: &str) -> Dashboard {
        Dashboard {
            id: LogicalId::from_path(&[id, "dashboard"]),
            name: stack.stage.physical_name(id),
            widgets: Vec::new(),
            variables: BTreeMap::new(),
        }
    }

    /// Errors of each function, one line per function, summed per minute.
    pub fn lambda_errors(self, function_names: &[String]) -> Dashboard {
        let metrics = function_names
            .iter()
            .map(|name| json!(["AWS/Lambda", "Errors", "FunctionName", name]))
            .collect();
        self.graph("Lambda errors", "Sum", metrics)
    }

    /// p50 and p90 latency of an HTTP API's `$default` stage. `api_id` is substituted
    /// at deploy time.
    pub fn api_latency(mut self, api_id: Expr) -> Dashboard {
        self.variables.insert("ApiId".into(), api_id);
        let line = |stat: &str| json!(["AWS/ApiGateway", "Latency", "ApiId", "${ApiId}", "Stage", "$default", {"stat": stat}]);
        self.graph("API latency (ms)", "p90", vec![line("p50"), line("p90")])
    }

    fn graph(mut self, title: &str, stat: &str, metrics: Vec<Value>) -> Dashboard {
        let index = self.widgets.len() as u32;
        self.widgets.push(json!({
            "type": "metric",
            "x": (index % 2) * WIDTH,
            "y": (index / 2) * HEIGHT,
            "width": WIDTH,
            "height": HEIGHT,
            "properties": {
                "title": title,
                "region": "${AWS::Region}",
                "view": "timeSeries",
                "stat": stat,
                "period": 60,
                "metrics": metrics,
            }
        }));
        self
    }

    pub fn add_to(self, stack: &mut Stack) {
        let body = json!({ "widgets": self.widgets }).to_string();
        stack.add(
            self.id,
            &cw::Dashboard {
                dashboard_name: Some(self.name.into()),
                ..cw::Dashboard::new(Expr::SubWith(body, self.variables))
            },
        );
    }
}
