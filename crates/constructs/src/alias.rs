//! Release aliases for a function: `prod` points at a published version, `staging` at
//! `$LATEST`. Callers (an HTTP API) use the `prod` alias, so new code reaches them only
//! when a version is published, and rolling back is re-pointing the alias.
use super::function::{Function, FunctionRef};
use super::stack::Stack;
use cfn::lambda::{Alias, Version};
use cfn_core::{Expr, LogicalId};

/// A function with its two aliases, as references usable from any later stack.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseAliases {
    /// The function itself (unqualified: `$LATEST`).
    pub function: FunctionRef,
    pub prod: FunctionRef,
    pub staging: FunctionRef,
}

/// Renders `function` into `stack` with a version and both aliases.
///
/// Taking the unrendered function (not a [`FunctionRef`]) is what makes this safe: the
/// version needs the function's logical ID and code parameter, which exist only in the
/// stack that renders it, so the aliases cannot be asked for in another stack.
///
/// The version's description names the code's S3 key parameter: every property of
/// `AWS::Lambda::Version` requires replacement, so new code (a new key) publishes a new
/// version and moves `prod`; a template-only change publishes nothing.
pub fn add_with_aliases(stack: &mut Stack, function: Function) -> ReleaseAliases {
    let rendered = function.render(stack);
    let function_id = rendered.id;
    let version = function_id.child("Version");
    stack.add(
        version.clone(),
        &Version {
            description: Some(
                Expr::sub(format!("code ${{{}}}", rendered.code_key_parameter)).into(),
            ),
            ..Version::new(Expr::reference(&function_id))
        },
    );
    let name = rendered.reference.name.clone();
    let alias = |stack: &mut Stack, alias: &str, target: Expr| {
        stack.add(
            function_id.child(&format!("{alias}Alias")),
            &Alias::new(Expr::reference(&function_id), target, alias),
        );
        FunctionRef {
            name: format!("{name}:{alias}"),
            id: None::<LogicalId>,
        }
    };
    ReleaseAliases {
        prod: alias(stack, "prod", Version::att_version(&version)),
        staging: alias(stack, "staging", Expr::from("$LATEST")),
        function: rendered.reference,
    }
}
