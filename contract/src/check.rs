//! Comparing the contract with what was built from it or written next to it (the
//! OpenAPI document, the synthesized templates, the app's router). Each side is turned
//! into a set of plain rows; [`compare`] reports what one side has and the other lacks.
use std::collections::BTreeSet;
use std::fmt;

use crate::{Auth, Function, Route, Scope};

/// The rows one side has and the other lacks; empty when both agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differences<T> {
    /// Declared by the contract, missing from what was checked.
    pub missing: Vec<T>,
    /// Present in what was checked, not declared by the contract.
    pub undeclared: Vec<T>,
}

impl<T> Differences<T> {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.undeclared.is_empty()
    }
}

impl<T: fmt::Debug> fmt::Display for Differences<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no differences");
        }
        for row in &self.missing {
            writeln!(f, "declared in the contract, missing: {row:?}")?;
        }
        for row in &self.undeclared {
            writeln!(f, "present, not declared in the contract: {row:?}")?;
        }
        Ok(())
    }
}

/// Compares two sets of rows (duplicates count once), each side's extras in order.
pub fn compare<T: Ord>(
    declared: impl IntoIterator<Item = T>,
    found: impl IntoIterator<Item = T>,
) -> Differences<T> {
    let declared: BTreeSet<T> = declared.into_iter().collect();
    let mut found: BTreeSet<T> = found.into_iter().collect();
    let missing = declared
        .into_iter()
        .filter(|row| !found.remove(row))
        .collect();
    Differences {
        missing,
        undeclared: found.into_iter().collect(),
    }
}

/// A route as every side can state it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub auth: Auth,
    /// The binary of the function that serves it.
    pub function: String,
}

impl From<&Route> for Endpoint {
    fn from(r: &Route) -> Endpoint {
        Endpoint {
            method: r.method.as_str().to_string(),
            path: r.path.to_string(),
            auth: r.auth,
            function: r.function.binary().to_string(),
        }
    }
}

pub fn endpoints<'a>(routes: impl IntoIterator<Item = &'a Route>) -> Vec<Endpoint> {
    routes.into_iter().map(Endpoint::from).collect()
}

/// One environment variable of one function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Variable {
    pub function: String,
    pub name: String,
}

pub fn variables(functions: impl IntoIterator<Item = Function>) -> Vec<Variable> {
    functions
        .into_iter()
        .flat_map(|f| {
            f.env().iter().map(move |v| Variable {
                function: f.binary().to_string(),
                name: v.name().to_string(),
            })
        })
        .collect()
}

/// One IAM action of one function on one resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub function: String,
    pub action: String,
    pub scope: Scope,
}

pub fn grants(functions: impl IntoIterator<Item = Function>) -> Vec<Grant> {
    functions
        .into_iter()
        .flat_map(|f| {
            f.permissions().iter().flat_map(move |p| {
                p.actions().into_iter().map(move |action| Grant {
                    function: f.binary().to_string(),
                    action: action.to_string(),
                    scope: p.scope(),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RouteId, ROUTES};

    #[test]
    fn equal_sides_have_no_differences() {
        let d = compare(endpoints(ROUTES), endpoints(ROUTES));
        assert!(d.is_empty(), "{d}");
        assert_eq!(d.to_string(), "no differences");
    }

    #[test]
    fn a_route_one_side_lacks_is_reported_exactly() {
        let fewer: Vec<&Route> = ROUTES
            .iter()
            .filter(|r| r.id != RouteId::ConfirmReminder)
            .collect();
        let removed = ROUTES
            .iter()
            .find(|r| r.id == RouteId::ConfirmReminder)
            .unwrap();
        // The contract lost a route the artefact still has, and the reverse.
        let d = compare(endpoints(fewer.iter().copied()), endpoints(ROUTES));
        assert_eq!(d.missing, []);
        assert_eq!(d.undeclared, [Endpoint::from(removed)]);
        let d = compare(endpoints(ROUTES), endpoints(fewer));
        assert_eq!(d.missing, [Endpoint::from(removed)]);
        assert_eq!(d.undeclared, []);
        assert!(d.to_string().contains("/batches/{id}/reminders/confirm"));
    }

    #[test]
    fn a_changed_auth_is_a_difference_on_both_sides() {
        let mut open = ROUTES[2];
        open.auth = Auth::Public;
        let d = compare(endpoints(&ROUTES[2..3]), endpoints([&open]));
        assert_eq!(d.missing, [Endpoint::from(&ROUTES[2])]);
        assert_eq!(d.undeclared, [Endpoint::from(&open)]);
    }

    #[test]
    fn rows_name_function_variable_action_and_scope() {
        let auth = variables([Function::Auth]);
        assert!(auth.contains(&Variable {
            function: "auth".into(),
            name: "USER_POOL_ID".into()
        }));
        let public = grants([Function::Public]);
        assert_eq!(
            public,
            [
                Grant {
                    function: "public".into(),
                    action: "dynamodb:Query".into(),
                    scope: Scope::Table
                },
                Grant {
                    function: "public".into(),
                    action: "dynamodb:Query".into(),
                    scope: Scope::TableIndex("GSI1".into())
                },
            ]
        );
    }
}
