//! Grants: the only way a construct gets IAM permissions.
use cfn_core::iam::Statement;

/// Something with an IAM role that resources can grant access to.
pub trait Grantable {
    fn grant(&mut self, statement: Statement);
}
