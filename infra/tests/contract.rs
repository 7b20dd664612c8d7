//! The synthesized templates against the app↔infra contract (`bubblebatch-contract`):
//! the API's routes, every function's environment variables and its IAM grants are
//! read back from the templates and must be exactly what the contract declares. A
//! contract with one entry fewer is reported, exactly that entry.
use contract::check::{compare, endpoints, grants, variables, Endpoint, Grant, Variable};
use contract::{Auth, Function, RouteId, Scope, ROUTES};
use infra::stacks::stage::Stage;
use infra::synth_stage;
use serde_json::Value;
use toolkit::synth::report::permissions;
use toolkit::synth::SynthesizedStack;

fn templates(stage: Stage) -> Vec<(String, Value)> {
    let stacks: Vec<SynthesizedStack> = synth_stage(stage).expect("synth");
    stacks
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                serde_json::from_str(&s.template_json).unwrap(),
            )
        })
        .collect()
}

/// `bubblebatch-dev-events` -> `events`.
fn binary(stage: Stage, function_name: &str) -> String {
    let prefix = format!("bubblebatch-{}-", stage.name());
    function_name
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{function_name} lacks {prefix}"))
        .to_string()
}

fn resources<'a>(
    template: &'a Value,
    kind: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(move |(_, r)| r["Type"] == kind)
}

/// The API's routes as the Api template declares them: route key, authorization and
/// the function its integration invokes.
fn template_routes(stage: Stage) -> Vec<Endpoint> {
    let all = templates(stage);
    let api = &all.iter().find(|(name, _)| name == "Api").unwrap().1;
    resources(api, "AWS::ApiGatewayV2::Route")
        .map(|(id, route)| {
            let p = &route["Properties"];
            let key = p["RouteKey"].as_str().unwrap();
            let (method, path) = key.split_once(' ').unwrap();
            let auth = match p["AuthorizationType"].as_str().unwrap() {
                "JWT" => Auth::Jwt,
                "NONE" => Auth::Public,
                other => panic!("{id}: authorization {other}"),
            };
            // `integrations/${<integration id>}`
            let integration = p["Target"]["Fn::Sub"]
                .as_str()
                .and_then(|t| t.strip_prefix("integrations/${")?.strip_suffix('}'))
                .unwrap_or_else(|| panic!("{id}: target {}", p["Target"]));
            let function_id = api["Resources"][integration]["Properties"]["IntegrationUri"]
                ["Fn::GetAtt"][0]
                .as_str()
                .unwrap();
            let name = api["Resources"][function_id]["Properties"]["FunctionName"]
                .as_str()
                .unwrap();
            Endpoint {
                method: method.to_string(),
                path: path.to_string(),
                auth,
                function: binary(stage, name),
            }
        })
        .collect()
}

/// Every function's environment variable names, from all templates of the stage.
fn template_variables(stage: Stage) -> Vec<Variable> {
    let mut rows = Vec::new();
    for (_, template) in templates(stage) {
        for (_, f) in resources(&template, "AWS::Lambda::Function") {
            let name = f["Properties"]["FunctionName"].as_str().unwrap();
            let vars = f["Properties"]["Environment"]["Variables"].as_object();
            for var in vars.into_iter().flat_map(|v| v.keys()) {
                rows.push(Variable {
                    function: binary(stage, name),
                    name: var.clone(),
                });
            }
        }
    }
    rows
}

/// The resource of a rendered ARN (`toolkit::synth::report`), as a contract scope.
fn scope(stage: Stage, resource: &str) -> Scope {
    let table = format!(":table/bubblebatch-{stage}-table");
    let bucket = format!(":::bubblebatch-{stage}-photos-{{account}}-{{region}}/");
    if let Some(rest) = resource.split_once(&table).map(|(_, rest)| rest) {
        match rest.strip_prefix("/index/") {
            Some(index) => Scope::TableIndex(index.to_string()),
            None if rest.is_empty() => Scope::Table,
            None => panic!("unexpected table resource {resource}"),
        }
    } else if let Some((_, objects)) = resource.split_once(&bucket) {
        let prefix = objects
            .strip_suffix('*')
            .expect("an object prefix ends in *");
        Scope::PhotoObjects(prefix.to_string())
    } else if resource.contains(":cognito-idp:") && resource.ends_with(":userpool/${UserPoolId}") {
        Scope::UserPool
    } else {
        panic!("a resource the contract cannot name: {resource}")
    }
}

/// Every Allow of every function's role, as (function, action, scope) rows. Writing its
/// own log group is the runtime's, not the code's: the construct grants it to every
/// function and `grants_are_scoped_to_the_resource_never_a_wildcard` checks it.
fn template_grants(stage: Stage) -> Vec<Grant> {
    let stacks = synth_stage(stage).expect("synth");
    let mut rows = Vec::new();
    for f in permissions(&stacks) {
        for line in f.statements.iter().filter(|l| l.effect == "Allow") {
            for action in line.actions.iter().filter(|a| !a.starts_with("logs:")) {
                for resource in &line.resources {
                    rows.push(Grant {
                        function: binary(stage, &f.function),
                        action: action.clone(),
                        scope: scope(stage, resource),
                    });
                }
            }
        }
    }
    rows
}

#[test]
fn api_routes_are_the_contract_routes() {
    for stage in Stage::ALL {
        let d = compare(endpoints(ROUTES), template_routes(stage));
        assert!(
            d.is_empty(),
            "Api template of {stage} vs the contract:\n{d}"
        );
    }
}

#[test]
fn a_route_the_contract_lacks_is_reported_exactly() {
    let removed = ROUTES.iter().find(|r| r.id == RouteId::ExportCsv).unwrap();
    let fewer = ROUTES.iter().filter(|r| r.id != removed.id);
    let d = compare(endpoints(fewer), template_routes(Stage::Dev));
    assert_eq!(d.missing, []);
    assert_eq!(d.undeclared, [Endpoint::from(removed)]);
}

#[test]
fn function_environments_are_the_contract_variables() {
    for stage in Stage::ALL {
        let d = compare(variables(Function::ALL), template_variables(stage));
        assert!(d.is_empty(), "templates of {stage} vs the contract:\n{d}");
    }
}

#[test]
fn a_variable_the_contract_lacks_is_reported_exactly() {
    let mut declared = variables(Function::ALL);
    let removed = Variable {
        function: "auth".into(),
        name: "USER_POOL_CLIENT_ID".into(),
    };
    declared.retain(|v| v != &removed);
    let d = compare(declared, template_variables(Stage::Dev));
    assert_eq!(d.missing, []);
    assert_eq!(d.undeclared, [removed]);
}

#[test]
fn role_grants_are_the_contract_permissions() {
    for stage in Stage::ALL {
        let d = compare(grants(Function::ALL), template_grants(stage));
        assert!(d.is_empty(), "roles of {stage} vs the contract:\n{d}");
    }
}

#[test]
fn a_permission_the_contract_lacks_is_reported_exactly() {
    let found = template_grants(Stage::Dev);
    let mut declared = grants(Function::ALL);
    let removed = Grant {
        function: "reminder-processor".into(),
        action: "dynamodb:Query".into(),
        scope: Scope::TableIndex("GSI1".into()),
    };
    declared.retain(|g| g != &removed);
    let d = compare(declared, found.clone());
    assert_eq!(d.missing, []);
    assert_eq!(d.undeclared, std::slice::from_ref(&removed));
    // And a declared permission no role grants.
    let mut granted = found;
    granted.retain(|g| g != &removed);
    let d = compare(grants(Function::ALL), granted);
    assert_eq!(d.missing, [removed]);
    assert_eq!(d.undeclared, []);
}

#[test]
fn the_index_the_contract_names_exists_on_the_table() {
    let all = templates(Stage::Dev);
    let data = &all.iter().find(|(name, _)| name == "Data").unwrap().1;
    let indexes: Vec<&str> = data["Resources"]["Table"]["Properties"]["GlobalSecondaryIndexes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["IndexName"].as_str().unwrap())
        .collect();
    for f in Function::ALL {
        for p in f.permissions() {
            if let Scope::TableIndex(index) = p.scope() {
                assert!(indexes.contains(&index.as_str()), "{f} queries {index}");
            }
        }
    }
}
