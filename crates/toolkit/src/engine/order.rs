//! Deploy order: stacks in waves, each wave depending only on earlier ones.
use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};

/// Waves of stack names. Dependencies outside the list (e.g. the bootstrap stack) are
/// taken as already deployed. Order within a wave follows the input.
pub fn waves<'a>(
    stacks: impl Iterator<Item = (&'a str, &'a [String])> + Clone,
) -> Result<Vec<Vec<String>>> {
    let names: Vec<&str> = stacks.clone().map(|(n, _)| n).collect();
    let deps: BTreeMap<&str, BTreeSet<&str>> = stacks
        .map(|(n, d)| {
            (
                n,
                d.iter()
                    .map(String::as_str)
                    .filter(|x| names.contains(x))
                    .collect(),
            )
        })
        .collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    while done.len() < names.len() {
        let wave: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !done.contains(n) && deps[n].iter().all(|d| done.contains(d)))
            .collect();
        if wave.is_empty() {
            let rest: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| !done.contains(n))
                .collect();
            bail!("stack dependencies form a cycle among: {}", rest.join(", "));
        }
        done.extend(wave.iter().copied());
        out.push(wave.into_iter().map(str::to_string).collect());
    }
    Ok(out)
}

/// Every stack `name` depends on, directly or not.
pub fn ancestors<'a>(
    stacks: impl Iterator<Item = (&'a str, &'a [String])>,
    name: &str,
) -> BTreeSet<String> {
    let deps: BTreeMap<&str, &[String]> = stacks.collect();
    let mut out = BTreeSet::new();
    let mut todo: Vec<&str> = vec![name];
    while let Some(n) = todo.pop() {
        for d in deps.get(n).copied().unwrap_or_default() {
            if out.insert(d.clone()) {
                todo.push(d);
            }
        }
    }
    out
}

/// Reverse of [`waves`], flattened: the order to delete in.
pub fn delete_order<'a>(
    stacks: impl Iterator<Item = (&'a str, &'a [String])> + Clone,
) -> Result<Vec<String>> {
    let mut w = waves(stacks)?;
    w.reverse();
    Ok(w.into_iter()
        .flat_map(|mut x| {
            x.reverse();
            x
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn layers_follow_dependencies() {
        let list = [
            ("auth", s(&[])),
            ("data", s(&[])),
            ("api", s(&["auth", "data", "bootstrap"])),
            ("monitoring", s(&["api"])),
        ];
        let it = list.iter().map(|(n, d)| (*n, d.as_slice()));
        let w = waves(it.clone()).unwrap();
        assert_eq!(
            w,
            vec![s(&["auth", "data"]), s(&["api"]), s(&["monitoring"])]
        );
        assert_eq!(
            delete_order(it.clone()).unwrap(),
            s(&["monitoring", "api", "data", "auth"])
        );
        assert!(ancestors(it, "monitoring").contains("auth"));
    }

    #[test]
    fn cycles_are_reported() {
        let list = [("a", s(&["b"])), ("b", s(&["a"]))];
        let err = waves(list.iter().map(|(n, d)| (*n, d.as_slice()))).unwrap_err();
        assert!(err.to_string().contains("cycle"), "{err}");
    }
}
