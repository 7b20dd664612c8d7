//! The hosted sign-in domain of a user pool (`<prefix>.auth.<region>.amazoncognito.com`),
//! where OAuth clients send users for the authorization-code flow.
use super::stack::Stack;
use cfn::cognito::UserPoolDomain;
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct PoolDomain {
    pub id: LogicalId,
    prefix: String,
}

impl PoolDomain {
    /// The prefix is the stage's physical name for `id`: unique per app and stage, and
    /// free of the words Cognito reserves (`aws`, `amazon`, `cognito`).
    pub fn new(stack: &Stack, id: &str) -> PoolDomain {
        let prefix = stack.stage.physical_name(id);
        for reserved in ["aws", "amazon", "cognito"] {
            assert!(
                !prefix.contains(reserved),
                "Cognito domain prefix {prefix} contains the reserved word {reserved}"
            );
        }
        PoolDomain {
            id: LogicalId::from_path(&[id, "domain"]),
            prefix,
        }
    }

    /// Renders the domain for `pool_id`; returns the sign-in base URL.
    pub fn add_to(self, stack: &mut Stack, pool_id: Expr) -> Expr {
        stack.add(
            self.id.clone(),
            &UserPoolDomain::new(self.prefix.as_str(), pool_id),
        );
        Expr::sub(format!(
            "https://{}.auth.${{AWS::Region}}.amazoncognito.com",
            self.prefix
        ))
    }
}
