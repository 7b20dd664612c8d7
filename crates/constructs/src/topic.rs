//! An SNS topic for alerts, with an email subscription and a resource policy that lets
//! chosen AWS services publish only on behalf of this account.
use super::stack::Stack;
use cfn::sns::topic::{Subscription, Topic};
use cfn::sns::TopicPolicy;
use cfn_core::iam::{actions, PolicyDocument, Principal, Statement};
use cfn_core::{Expr, LogicalId, Pseudo};

#[derive(Debug, Clone)]
pub struct AlertTopic {
    pub id: LogicalId,
    name: String,
    emails: Vec<String>,
    publishers: Vec<(&'static str, Expr)>,
}

impl AlertTopic {
    pub fn new(stack: &Stack, id: &str) -> AlertTopic {
        AlertTopic {
            id: LogicalId::from_path(&[id, "topic"]),
            name: stack.stage.physical_name(id),
            emails: Vec::new(),
            publishers: Vec::new(),
        }
    }

    /// The usual alert topic: mails `email`, and CloudWatch alarms and budgets of this
    /// account may publish to it.
    pub fn for_alarms_and_budgets(stack: &Stack, id: &str, email: &str) -> AlertTopic {
        AlertTopic::new(stack, id)
            .email(email)
            .allow_publish_from(
                "cloudwatch.amazonaws.com",
                Expr::sub(
                    "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*",
                ),
            )
            .allow_publish_from(
                "budgets.amazonaws.com",
                Expr::sub("arn:${AWS::Partition}:budgets::${AWS::AccountId}:*"),
            )
    }

    pub fn email(mut self, address: &str) -> AlertTopic {
        self.emails.push(address.to_string());
        self
    }

    /// Lets `service` publish when the source is this account and matches `source_arn`
    /// (an `ArnLike` pattern).
    pub fn allow_publish_from(mut self, service: &'static str, source_arn: Expr) -> AlertTopic {
        self.publishers.push((service, source_arn));
        self
    }

    /// Renders the topic; returns its ARN (`Ref` of a topic is its ARN).
    pub fn add_to(self, stack: &mut Stack) -> Expr {
        let subscriptions = (!self.emails.is_empty()).then(|| {
            self.emails
                .iter()
                .map(|email| Subscription::new(email, "email"))
                .collect()
        });
        stack.add(
            self.id.clone(),
            &Topic {
                topic_name: Some(self.name.as_str().into()),
                display_name: Some(format!("{} alerts", self.name).into()),
                subscription: subscriptions,
                ..Topic::new()
            },
        );
        stack.suppress(
            &self.id,
            "CKV_AWS_26",
            "Alarm and budget notifications carry no user data, and CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key (a customer-managed key would be needed, with its cost)",
        );
        let topic_arn = Expr::reference(&self.id);
        if !self.publishers.is_empty() {
            let statements = self
                .publishers
                .iter()
                .map(|(service, source_arn)| {
                    let sid = service.split('.').next().unwrap_or("Service").to_string();
                    Statement::allow(&[actions::sns::PUBLISH], vec![topic_arn.clone()])
                        .sid(&format!("AllowPublishFrom{}", capitalize(&sid)))
                        .principal(Principal::Service(service.to_string()))
                        .condition(
                            "StringEquals",
                            "aws:SourceAccount",
                            Expr::pseudo(Pseudo::AccountId),
                        )
                        .condition("ArnLike", "aws:SourceArn", source_arn.clone())
                })
                .collect();
            stack.add(
                self.id.child("Policy"),
                &TopicPolicy::new(
                    PolicyDocument::new(statements),
                    vec![topic_arn.clone().into()],
                ),
            );
        }
        topic_arn
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
