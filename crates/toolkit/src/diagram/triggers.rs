//! Trigger edges: schedules and rules → targets, S3 notifications → functions, queues or
//! topics, topics → subscribers, alarms → topics (and the metrics they watch), budgets →
//! topics and email.
use serde_json::Value;

use super::build::Builder;
use super::grants::as_list;
use super::model::{EdgeKind, NodeId};
use super::nodes::ALARMS;
use super::resolve::Index;
use super::template::Template;

pub fn add(index: &Index, builder: &mut Builder) {
    for (t, template) in index.templates.iter().enumerate() {
        let ctx = Context { index, t, template };
        ctx.schedules(builder);
        ctx.notifications(builder);
        ctx.subscriptions(builder);
        ctx.alarms(builder);
        ctx.budgets(builder);
    }
}

struct Context<'a> {
    index: &'a Index<'a>,
    t: usize,
    template: &'a Template,
}

impl Context<'_> {
    fn node(&self, id: &str) -> NodeId {
        NodeId::resource(&self.template.name, id)
    }

    fn link(&self, builder: &mut Builder, from: &NodeId, to: &Value, kind: EdgeKind, line: &str) {
        if let Some(target) = self.index.resolve(self.t, to) {
            builder.edge(from, &target.node, kind, Some(line.to_string()));
        }
    }

    fn schedules(&self, builder: &mut Builder) {
        for schedule in self.template.of_type("AWS::Scheduler::Schedule") {
            let target = &self.template.properties(schedule)["Target"];
            let node = self.node(schedule);
            self.link(builder, &node, &target["Arn"], EdgeKind::Trigger, "invoke");
            let dead_letters = &target["DeadLetterConfig"]["Arn"];
            self.link(
                builder,
                &node,
                dead_letters,
                EdgeKind::Trigger,
                "dead letters",
            );
        }
        for rule in self.template.of_type("AWS::Events::Rule") {
            let node = self.node(rule);
            let targets = &self.template.properties(rule)["Targets"];
            for target in as_list(targets) {
                self.link(builder, &node, &target["Arn"], EdgeKind::Trigger, "invoke");
            }
        }
    }

    /// S3 event notifications, labelled with the event and key filter.
    fn notifications(&self, builder: &mut Builder) {
        for bucket in self.template.of_type("AWS::S3::Bucket") {
            let node = self.node(bucket);
            let config = &self.template.properties(bucket)["NotificationConfiguration"];
            for (list, target_key) in [
                ("LambdaConfigurations", "Function"),
                ("QueueConfigurations", "Queue"),
                ("TopicConfigurations", "Topic"),
            ] {
                for notification in as_list(&config[list]) {
                    let mut line = notification["Event"]
                        .as_str()
                        .unwrap_or("event")
                        .to_string();
                    for rule in as_list(&notification["Filter"]["S3Key"]["Rules"]) {
                        if let Some(value) = rule["Value"].as_str() {
                            let name = rule["Name"].as_str().unwrap_or_default();
                            line.push_str(&format!(" {name} {value}"));
                        }
                    }
                    let target = &notification[target_key];
                    self.link(builder, &node, target, EdgeKind::Trigger, &line);
                }
            }
        }
    }

    /// Topic subscriptions, inline or as `AWS::SNS::Subscription`; email addresses
    /// become nodes of their own (the runbook rotates them).
    fn subscriptions(&self, builder: &mut Builder) {
        for topic in self.template.of_type("AWS::SNS::Topic") {
            let node = self.node(topic);
            for subscription in as_list(&self.template.properties(topic)["Subscription"]) {
                self.subscribe(builder, &node, subscription);
            }
        }
        for subscription in self.template.of_type("AWS::SNS::Subscription") {
            let properties = self.template.properties(subscription);
            if let Some(topic) = self.index.resolve(self.t, &properties["TopicArn"]) {
                self.subscribe(builder, &topic.node, properties);
            }
        }
    }

    fn subscribe(&self, builder: &mut Builder, topic: &NodeId, subscription: &Value) {
        let protocol = subscription["Protocol"].as_str().unwrap_or_default();
        let endpoint = &subscription["Endpoint"];
        match (protocol, endpoint.as_str()) {
            ("email" | "email-json", Some(address)) => {
                let email = email_node(builder, address);
                builder.edge(topic, &email, EdgeKind::Trigger, Some(protocol.into()));
            }
            _ => self.link(builder, topic, endpoint, EdgeKind::Trigger, protocol),
        }
    }

    /// One node for all alarms of the stack: an edge to each topic it notifies, a
    /// dotted edge to each resource whose metrics it watches.
    fn alarms(&self, builder: &mut Builder) {
        let group = self.node(ALARMS);
        for alarm in self.template.of_type("AWS::CloudWatch::Alarm") {
            let properties = self.template.properties(alarm);
            for (key, state) in [
                ("AlarmActions", "ALARM"),
                ("OKActions", "OK"),
                ("InsufficientDataActions", "INSUFFICIENT_DATA"),
            ] {
                for action in as_list(&properties[key]) {
                    self.link(builder, &group, action, EdgeKind::Trigger, state);
                }
            }
            // A metric alarm names its metric; a metric-math alarm (a 5xx rate) each of
            // the metrics its expression reads.
            let metrics = std::iter::once(properties).chain(
                as_list(&properties["Metrics"])
                    .into_iter()
                    .map(|query| &query["MetricStat"]["Metric"]),
            );
            for metric in metrics {
                let Some(name) = metric["MetricName"].as_str() else {
                    continue;
                };
                for dimension in as_list(&metric["Dimensions"]) {
                    if let Some(target) = self.watched(dimension) {
                        builder.edge(&group, &target, EdgeKind::Watch, Some(name.into()));
                    }
                }
            }
        }
    }

    /// The node a metric dimension names; typed by the dimension, since a table and a
    /// function may share a name (`echomate-dev-likes`).
    fn watched(&self, dimension: &Value) -> Option<NodeId> {
        let value = &dimension["Value"];
        let service = match dimension["Name"].as_str()? {
            "FunctionName" => "lambda",
            "TableName" => "dynamodb",
            "BucketName" => "s3",
            "QueueName" => "sqs",
            "TopicName" => "sns",
            "DBInstanceIdentifier" => "rds",
            _ => return self.index.resolve(self.t, value).map(|t| t.node),
        };
        match value.as_str() {
            Some(name) => {
                let name = name.split(':').next().unwrap_or(name);
                self.index.by_name(service, name)
            }
            None => self.index.resolve(self.t, value).map(|t| t.node),
        }
    }

    /// Budget notifications: `actual > 80%` to a topic or an email address.
    fn budgets(&self, builder: &mut Builder) {
        for budget in self.template.of_type("AWS::Budgets::Budget") {
            let node = self.node(budget);
            let properties = self.template.properties(budget);
            for entry in as_list(&properties["NotificationsWithSubscribers"]) {
                let notification = &entry["Notification"];
                let kind = match notification["NotificationType"].as_str() {
                    Some("FORECASTED") => "forecast",
                    Some("ACTUAL") => "actual",
                    _ => "spend",
                };
                let threshold = notification["Threshold"].as_f64().unwrap_or_default();
                let unit = match notification["ThresholdType"].as_str() {
                    Some("ABSOLUTE_VALUE") => "",
                    _ => "%",
                };
                let line = format!("{kind} > {threshold}{unit}");
                for subscriber in as_list(&entry["Subscribers"]) {
                    let address = &subscriber["Address"];
                    match (subscriber["SubscriptionType"].as_str(), address.as_str()) {
                        (Some("EMAIL"), Some(email)) => {
                            let email = email_node(builder, email);
                            builder.edge(&node, &email, EdgeKind::Trigger, Some(line.clone()));
                        }
                        _ => self.link(builder, &node, address, EdgeKind::Trigger, &line),
                    }
                }
            }
        }
    }
}

fn email_node(builder: &mut Builder, address: &str) -> NodeId {
    builder.external(
        &format!("email_{address}"),
        vec![address.to_string(), "email".into()],
    )
}
