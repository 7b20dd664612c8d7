//! Release aliases for a function: `prod` points at a published version, `staging` at
//! `$LATEST`. Callers (an HTTP API) use the `prod` alias, so new code reaches them only
//! when a version is published, and rolling back is re-pointing the alias.
use super::function::FunctionRef;
use super::stack::Stack;
use cfn_core::resources::lambda;
use cfn_core::{Expr, LogicalId};

/// The two aliases of one function, as references usable from any later stack.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseAliases {
    pub prod: FunctionRef,
    pub staging: FunctionRef,
}

/// Adds a version and both aliases for `function`, which must be in `stack`.
///
/// The version's description names the code's S3 key parameter: every property of
/// `AWS::Lambda::Version` requires replacement, so new code (a new key) publishes a new
/// version and moves `prod`; a template-only change publishes nothing.
pub fn release_aliases(stack: &mut Stack, function: &FunctionRef) -> ReleaseAliases {
    let function_id = function
        .id
        .clone()
        .unwrap_or_else(|| panic!("aliases of {}: function not in this stack", function.name));
    let code_key = stack
        .lambda_code
        .iter()
        .find(|code| code.function_name == function.name)
        .map(|code| code.key_parameter.clone())
        .unwrap_or_else(|| panic!("aliases of {}: no code parameter", function.name));
    let version = function_id.child("Version");
    stack.add(
        version.clone(),
        &lambda::Version {
            function_name: Expr::reference(&function_id),
            description: Some(Expr::sub(format!("code ${{{code_key}}}"))),
        },
    );
    let alias = |stack: &mut Stack, name: &str, target: Expr| {
        stack.add(
            function_id.child(&format!("{name}Alias")),
            &lambda::Alias {
                function_name: Expr::reference(&function_id),
                function_version: target,
                name: name.to_string(),
                description: None,
            },
        );
        FunctionRef {
            name: format!("{}:{name}", function.name),
            id: None::<LogicalId>,
        }
    };
    ReleaseAliases {
        prod: alias(stack, "prod", Expr::get_att(&version, "Version")),
        staging: alias(stack, "staging", Expr::from("$LATEST")),
    }
}
