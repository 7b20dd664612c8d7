//! app/openapi.yaml must describe exactly the contract's routes (method, path,
//! authentication, function), with their path parameters; and the contract's functions
//! must be the crate's [[bin]] targets.
use std::collections::BTreeSet;

use app::contract::check::{compare, endpoints, Endpoint};
use app::contract::{Auth, Function, RouteId, ROUTES};
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

/// Every operation of the document as a contract row.
fn documented(doc: &Value) -> Vec<Endpoint> {
    let mut rows = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            rows.push(Endpoint {
                method: m.to_ascii_uppercase(),
                path: path.clone(),
                auth: if secured { Auth::Jwt } else { Auth::Public },
                function: op["x-bubblebatch-function"]
                    .as_str()
                    .unwrap_or("<no x-bubblebatch-function>")
                    .to_string(),
            });
        }
    }
    rows
}

#[test]
fn openapi_operations_equal_the_contract_routes() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let d = compare(endpoints(ROUTES), documented(&doc));
    assert!(d.is_empty(), "app/openapi.yaml vs the contract:\n{d}");
}

#[test]
fn a_route_missing_from_either_side_is_reported_exactly() {
    let doc = document();
    let removed = ROUTES
        .iter()
        .find(|r| r.id == RouteId::RegisterDevice)
        .unwrap();
    let fewer = ROUTES.iter().filter(|r| r.id != removed.id);
    let d = compare(endpoints(fewer), documented(&doc));
    assert_eq!(d.missing, []);
    assert_eq!(d.undeclared, [Endpoint::from(removed)]);

    let mut trimmed = doc.clone();
    trimmed["paths"]["/me/devices"]
        .as_object_mut()
        .unwrap()
        .remove("post");
    let d = compare(endpoints(ROUTES), documented(&trimmed));
    assert_eq!(d.missing, [Endpoint::from(removed)]);
    assert_eq!(d.undeclared, []);
}

#[test]
fn operations_document_401_path_parameters_and_bodies() {
    let doc = document();
    for r in ROUTES {
        let op = &doc["paths"][r.path][r.method.as_str().to_ascii_lowercase()];
        if r.auth == Auth::Jwt {
            assert!(op["responses"].get("401").is_some(), "{r} documents 401");
        }
        let declared: BTreeSet<&str> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let in_path: BTreeSet<&str> = r.path_params().collect();
        assert_eq!(declared, in_path, "path parameters of {r}");
        let has_body = op.get("requestBody").is_some();
        assert_eq!(
            has_body,
            r.method == app::contract::Method::Post,
            "request body of {r}"
        );
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
    // The operator tasks, listed in not-lambdas (the app runs locally with `infra dev`).
    lambdas.insert("ops".to_string());
    assert_eq!(bins, lambdas);
    assert!(manifest.contains("not-lambdas = [\"ops\"]"));
}
