//! An IAM role assumed by one AWS service, whose inline policy is built from grants.
use super::grant::Grantable;
use super::stack::Stack;
use cfn::iam::role::{Policy, Role as RoleProps};
use cfn_core::iam::{actions, PolicyDocument, Principal, Statement};
use cfn_core::{Expr, LogicalId, Pseudo};

#[derive(Debug, Clone)]
pub struct Role {
    pub id: LogicalId,
    service: String,
    description: String,
    statements: Vec<Statement>,
    /// Confused-deputy guard: only this account's resources may make the service assume it.
    source_account_condition: bool,
}

impl Role {
    pub fn for_service(id: LogicalId, service: &str, description: &str) -> Role {
        Role {
            id,
            service: service.to_string(),
            description: description.to_string(),
            statements: Vec::new(),
            source_account_condition: false,
        }
    }

    pub fn require_source_account(mut self) -> Role {
        self.source_account_condition = true;
        self
    }

    pub fn arn(&self) -> Expr {
        RoleProps::att_arn(&self.id)
    }

    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    pub fn render(self, stack: &mut Stack) -> LogicalId {
        let mut trust = Statement::allow(&[actions::sts::ASSUME_ROLE], Vec::new())
            .principal(Principal::Service(self.service.clone()));
        if self.source_account_condition {
            trust = trust.condition(
                "StringEquals",
                "aws:SourceAccount",
                Expr::pseudo(Pseudo::AccountId),
            );
        }
        let policies = (!self.statements.is_empty()).then(|| {
            vec![Policy::new(
                PolicyDocument::new(self.statements.clone()),
                "least-privilege",
            )]
        });
        stack.add(
            self.id.clone(),
            &RoleProps {
                description: Some(self.description.as_str().into()),
                policies,
                ..RoleProps::new(PolicyDocument::new(vec![trust]))
            },
        );
        self.id
    }
}

impl Grantable for Role {
    /// Statements with the same resources merge, so a role reads as one line per resource.
    fn grant(&mut self, statement: Statement) {
        let mergeable = self.statements.iter_mut().find(|s| {
            s.effect == statement.effect
                && s.resources == statement.resources
                && s.condition == statement.condition
                && s.principal.is_none()
                && statement.principal.is_none()
        });
        match mergeable {
            Some(existing) => {
                existing.actions.extend(statement.actions);
                existing.actions.sort();
                existing.actions.dedup();
            }
            None => self.statements.push(statement),
        }
    }
}
