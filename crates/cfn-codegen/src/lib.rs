//! Generates the `cfn` crate from the CloudFormation registry schemas that the pinned
//! cfn-lint ships: typed property structs per resource type (the L1 layer) and the
//! safety registry. See README.md.
pub mod docs;
pub mod emit;
pub mod model;
pub mod names;
pub mod registry;
pub mod resolve;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use emit::Provenance;
use model::{ResourceModel, Stats};
use registry::{Patches, TypeData};

/// The cfn-lint release whose schemas the committed `cfn` crate was generated from.
pub const PINNED_CFN_LINT: &str = "1.58.0";
/// `schemas/version.json`'s `schema_date` of that release.
pub const PINNED_SCHEMA_DATE: &str = "2026-10-20T22:11:15Z";

/// The crate as files (paths relative to the crate folder) plus what it took.
#[derive(Debug)]
pub struct Generated {
    pub files: BTreeMap<PathBuf, String>,
    pub stats: Stats,
    pub types: usize,
    pub registry_types: usize,
    pub services: usize,
    pub structs: usize,
    pub enums: usize,
    pub variants: usize,
    pub fields: usize,
    pub attributes: usize,
}

/// Finds cfn-lint's package folder through the tools venv's Python.
pub fn find_cfn_lint() -> Result<PathBuf, String> {
    let python = match std::env::var_os("BB_TOOLS_BIN") {
        Some(bin) if Path::new(&bin).join("python").exists() => Path::new(&bin).join("python"),
        _ => {
            let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
            Path::new(&home).join(".cache/bubblebatch/venv/bin/python")
        }
    };
    let output = Command::new(&python)
        .args([
            "-c",
            "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))",
        ])
        .output()
        .map_err(|e| format!("{}: {e} (run scripts/setup-tools.sh)", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} cannot import cfnlint: {} (run scripts/setup-tools.sh)",
            python.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Reads the cfn-lint version (`cfnlint/version.py`) and the schema date of a schema
/// folder (`cfnlint/data/schemas`), and checks both against the pin.
pub fn provenance(schema_dir: &Path) -> Result<Provenance, String> {
    let version_py = schema_dir.join("../../version.py");
    let text =
        fs::read_to_string(&version_py).map_err(|e| format!("{}: {e}", version_py.display()))?;
    let version = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("__version__"))
        .map(|rest| {
            rest.trim_start_matches([' ', '='])
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        })
        .ok_or_else(|| format!("{}: no __version__", version_py.display()))?;
    let version_json = schema_dir.join("version.json");
    let date: Value = serde_json::from_str(
        &fs::read_to_string(&version_json)
            .map_err(|e| format!("{}: {e}", version_json.display()))?,
    )
    .map_err(|e| format!("{}: {e}", version_json.display()))?;
    let schema_date = date["schema_date"].as_str().unwrap_or_default().to_string();
    if version != PINNED_CFN_LINT {
        return Err(format!(
            "cfn-lint {version} is installed, the generator is pinned to {PINNED_CFN_LINT}: \
             install the pinned one (scripts/setup-tools.sh), or move the pin in \
             crates/cfn-codegen/src/lib.rs and scripts/setup-tools.sh together and regenerate"
        ));
    }
    if schema_date != PINNED_SCHEMA_DATE {
        return Err(format!(
            "schema_date {schema_date} differs from the pinned {PINNED_SCHEMA_DATE} for cfn-lint {version}"
        ));
    }
    Ok(Provenance {
        cfn_lint_version: version,
        schema_date,
    })
}

/// Every schema of `providers/us-east-1.json`, by type name.
pub fn load_schemas(schema_dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    let read = |path: &Path| -> Result<Value, String> {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let provider = read(&schema_dir.join("providers/us-east-1.json"))?;
    let provider = provider
        .as_object()
        .ok_or("providers/us-east-1.json is not an object")?;
    let mut schemas = BTreeMap::new();
    for (type_name, file) in provider {
        let file = file
            .as_str()
            .ok_or_else(|| format!("{type_name}: not a file name"))?;
        let schema = read(&schema_dir.join("resources").join(format!("{file}.json")))?;
        if schema["typeName"].as_str() != Some(type_name.as_str()) {
            return Err(format!("resources/{file}.json is not {type_name}"));
        }
        schemas.insert(type_name.clone(), schema);
    }
    Ok(schemas)
}

/// The whole generated crate.
pub fn generate(
    schemas: &BTreeMap<String, Value>,
    patches: &Patches,
    prov: &Provenance,
) -> Result<Generated, String> {
    // Registry: every type, patched.
    let mut types: BTreeMap<String, TypeData> = schemas
        .iter()
        .map(|(name, schema)| (name.clone(), registry::type_data(schema)))
        .collect();
    registry::apply_patches(&mut types, schemas, patches)?;
    let registry_index: BTreeMap<&str, usize> = types
        .keys()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let type_list: Vec<TypeData> = types.values().cloned().collect();

    // Models: AWS types only.
    let mut stats = Stats::default();
    let mut by_service: BTreeMap<String, Vec<ResourceModel>> = BTreeMap::new();
    let mut service_names: BTreeMap<String, String> = BTreeMap::new();
    for (type_name, schema) in schemas {
        if !type_name.starts_with("AWS::") {
            continue;
        }
        let (model, s) = resolve::resolve_resource(schema)?;
        stats.add(s);
        let org_service = type_name
            .rsplit_once("::")
            .map_or("", |(p, _)| p)
            .to_string();
        if let Some(other) = service_names.insert(model.service.clone(), org_service.clone()) {
            if other != org_service {
                return Err(format!(
                    "{other} and {org_service} both map to module {}",
                    model.service
                ));
            }
        }
        if model.service == "registry" {
            return Err(format!("{org_service} would shadow the registry module"));
        }
        by_service
            .entry(model.service.clone())
            .or_default()
            .push(model);
    }

    let mut files = BTreeMap::new();
    let (mut structs, mut enums, mut variants, mut fields, mut attributes, mut count) =
        (0, 0, 0, 0, 0, 0);
    let mut service_types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (service, models) in &mut by_service {
        models.sort_by(|a, b| a.module.cmp(&b.module));
        for pair in models.windows(2) {
            if pair[0].module == pair[1].module {
                return Err(format!(
                    "{} and {} both map to module {}",
                    pair[0].type_name, pair[1].type_name, pair[0].module
                ));
            }
        }
        let dir = PathBuf::from("src").join(service);
        for m in models.iter() {
            let file = format!("{}.rs", m.module.trim_start_matches("r#"));
            files.insert(
                dir.join(file),
                emit::resource_module(m, registry_index[m.type_name.as_str()], prov),
            );
            structs += m.structs.len();
            enums += m.enums.len();
            variants += m.enums.iter().map(|e| e.values.len()).sum::<usize>();
            fields += m.structs.iter().map(|s| s.fields.len()).sum::<usize>();
            attributes += m.attributes.len();
            count += 1;
        }
        let refs: Vec<&ResourceModel> = models.iter().collect();
        files.insert(
            dir.join("mod.rs"),
            emit::service_module(service, &refs, prov),
        );
        service_types.insert(
            service.clone(),
            models.iter().map(|m| m.type_name.clone()).collect(),
        );
    }
    files.insert(
        PathBuf::from("src/registry.rs"),
        registry::registry_rs(&type_list, prov),
    );
    files.insert(
        PathBuf::from("src/lib.rs"),
        emit::lib_rs(&service_types, prov),
    );
    files.insert(
        PathBuf::from("Cargo.toml"),
        emit::cargo_toml(&service_types, prov),
    );
    Ok(Generated {
        files,
        stats,
        types: count,
        registry_types: type_list.len(),
        services: by_service.len(),
        structs,
        enums,
        variants,
        fields,
        attributes,
    })
}

/// Every file under `dir`, relative to it.
fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// What differs between the generated files and `out`: `(path, why)`, sorted.
pub fn stale_files(
    generated: &BTreeMap<PathBuf, String>,
    out: &Path,
) -> Vec<(PathBuf, &'static str)> {
    let mut stale = Vec::new();
    for (rel, text) in generated {
        match fs::read(out.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => stale.push((rel.clone(), "differs")),
            Err(_) => stale.push((rel.clone(), "missing")),
        }
    }
    for rel in list_files(out) {
        if !generated.contains_key(&rel) {
            stale.push((rel, "should not exist"));
        }
    }
    stale.sort();
    stale
}

/// Writes the generated files into `out`, removing any other file there. Returns how
/// many files changed.
pub fn write_files(generated: &BTreeMap<PathBuf, String>, out: &Path) -> Result<usize, String> {
    let stale = stale_files(generated, out);
    for (rel, why) in &stale {
        let path = out.join(rel);
        if *why == "should not exist" {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        } else {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            fs::write(&path, &generated[rel]).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    // Folders of services that are gone.
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
                stack.push(entry.path());
            }
        }
    }
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = fs::remove_dir(&d); // only succeeds when empty
    }
    Ok(stale.len())
}
