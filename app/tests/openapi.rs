//! app/openapi.yaml must describe exactly the routes the router serves, with the same
//! authentication and the same Lambda per route; and the Lambda list must match
//! the crate's [[bin]] targets.
use std::collections::BTreeSet;

use app::routes::{Function, REMINDER_PROCESSOR_BINARY, ROUTES};
use serde_json::Value;

fn document() -> Value {
    let text = include_str!("../openapi.yaml");
    // The document is YAML in JSON-compatible style; only leading comments are not JSON.
    let json: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&json).expect("openapi.yaml is JSON-style YAML")
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[test]
fn openapi_paths_equal_the_route_table() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if item.get(m).is_some() {
                documented.insert((m.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    let routed: BTreeSet<_> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.template.to_string()))
        .collect();
    assert_eq!(documented, routed);
}

#[test]
fn operations_match_auth_function_and_path_parameters() {
    let doc = document();
    for r in ROUTES {
        let op = &doc["paths"][r.template][r.method.to_ascii_lowercase()];
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        assert_eq!(secured, r.authenticated, "security of {r:?}");
        assert_eq!(op["x-bubblebatch-function"], r.function.binary(), "{r:?}");
        if r.authenticated {
            assert!(op["responses"].get("401").is_some(), "{r:?} documents 401");
        }
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let in_template: BTreeSet<String> = r
            .template
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect();
        assert_eq!(declared, in_template, "path parameters of {r:?}");
        let has_body = op.get("requestBody").is_some();
        assert_eq!(has_body, r.method == "POST", "request body of {r:?}");
    }
}

#[test]
fn lambda_binaries_match_the_crate_targets() {
    let manifest = include_str!("../Cargo.toml");
    let mut bins = BTreeSet::new();
    let mut in_bin = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin {
            if let Some(name) = line.strip_prefix("name = ") {
                bins.insert(name.trim_matches('"').to_string());
            }
        }
    }
    let mut lambdas: BTreeSet<String> = Function::ALL
        .iter()
        .map(|f| f.binary().to_string())
        .collect();
    lambdas.insert(REMINDER_PROCESSOR_BINARY.to_string());
    lambdas.insert("local".to_string()); // the dev server, listed in not-lambdas
    assert_eq!(bins, lambdas);
    assert!(manifest.contains("not-lambdas = [\"local\"]"));
}
