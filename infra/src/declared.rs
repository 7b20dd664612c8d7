//! The app<->infra contract (`bubblebatch-contract`) as the toolkit verifies a deploy
//! against it: the API must serve exactly these routes, and each function's role must
//! allow the actions its code calls.
use contract::{Auth, Function, ROUTES};
use toolkit::declared::{Declared, DeclaredFunction, DeclaredRoute};

use crate::stacks::stage::Stage;

/// The contract with each function named as the stage deploys it.
pub fn of(stage: toolkit::Stage) -> Declared {
    let stage: Stage = stage.name.parse().expect("a stage of STAGES");
    let config = stage.config();
    let name = |f: Function| config.physical_name(f.binary());
    Declared {
        routes: ROUTES
            .iter()
            .map(|r| DeclaredRoute {
                method: r.method.as_str().to_string(),
                path: r.path.to_string(),
                authorized: r.auth == Auth::Jwt,
                function: name(r.function),
            })
            .collect(),
        functions: Function::ALL
            .iter()
            .map(|&f| {
                let mut actions: Vec<String> = Vec::new();
                for action in f.permissions().iter().flat_map(|p| p.actions()) {
                    if !actions.iter().any(|a| a == action) {
                        actions.push(action.to_string());
                    }
                }
                DeclaredFunction {
                    name: name(f),
                    actions,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_are_named_as_deployed_and_actions_listed_once() {
        let d = of(Stage::Prod.info());
        let export = d.routes.iter().find(|r| r.path == "/export.csv").unwrap();
        assert_eq!(export.function, "bubblebatch-prod-export");
        assert!(export.authorized);
        let login = d.routes.iter().find(|r| r.path == "/auth/login").unwrap();
        assert!(!login.authorized);
        let public = d.function("bubblebatch-prod-public").unwrap();
        // Query on the table and on its index: one action.
        assert_eq!(public.actions, ["dynamodb:Query"]);
        assert_eq!(d.functions.len(), Function::ALL.len());
    }
}
