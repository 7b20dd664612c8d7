//! The CloudFormation template model: resources, intrinsic functions, logical IDs, IAM
//! documents, and the canonical JSON form every template is written in.
pub mod canonical;
pub mod expr;
pub mod iam;
pub mod json;
pub mod logical_id;
pub mod resource;
pub mod template;
pub mod type_info;
pub mod val;

pub use expr::{Expr, Pseudo};
pub use json::Json;
pub use logical_id::LogicalId;
pub use resource::{DeletionPolicy, RawResource, Resource, ResourceProperties};
pub use template::{Output, Parameter, Template};
pub use type_info::{Permissions, TypeInfo};
pub use val::Val;
