//! `cargo run -p cfn-codegen -- [--schemas DIR] [--out DIR] [--patches FILE] [--check] [--report]`
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cfn_codegen::{
    find_cfn_lint, generate, load_schemas, provenance, registry::Patches, stale_files, write_files,
};

const USAGE: &str =
    "usage: cfn-codegen [--schemas DIR] [--out DIR] [--patches FILE] [--check] [--report]

  --schemas DIR   cfn-lint's data/schemas folder (default: found through the tools venv's python)
  --out DIR       the generated crate's folder (default: crates/cfn)
  --patches FILE  reviewed schema patches (default: crates/cfn-codegen/patches.toml)
  --check         generate in memory; exit 1 naming every stale file, 0 when all are current
  --report        also print every Json fallback site";

struct Args {
    schemas: Option<PathBuf>,
    out: PathBuf,
    patches: PathBuf,
    check: bool,
    report: bool,
}

fn parse_args() -> Result<Args, String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        schemas: None,
        out: manifest.join("../cfn"),
        patches: manifest.join("patches.toml"),
        check: false,
        report: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--schemas" => args.schemas = Some(PathBuf::from(value("--schemas")?)),
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--patches" => args.patches = PathBuf::from(value("--patches")?),
            "--check" => args.check = true,
            "--report" => args.report = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let started = Instant::now();
    let schema_dir = match args.schemas {
        Some(dir) => dir,
        None => find_cfn_lint()?.join("data/schemas"),
    };
    let prov = provenance(&schema_dir)?;
    let schemas = load_schemas(&schema_dir)?;
    let patches_text = std::fs::read_to_string(&args.patches)
        .map_err(|e| format!("{}: {e}", args.patches.display()))?;
    let patches = Patches::parse(&patches_text)?;
    let generated = generate(&schemas, &patches, &prov)?;
    let elapsed = started.elapsed();

    let lines: usize = generated.files.values().map(|t| t.lines().count()).sum();
    let bytes: usize = generated.files.values().map(String::len).sum();
    let s = &generated.stats;
    eprintln!(
        "cfn-lint {} (schema_date {}): {} AWS types in {} services ({} in the registry)",
        prov.cfn_lint_version,
        prov.schema_date,
        generated.types,
        generated.services,
        generated.registry_types
    );
    eprintln!(
        "  {} structs, {} fields, {} enums ({} variants), {} GetAtt attributes, {} boxed fields",
        generated.structs,
        generated.fields,
        generated.enums,
        generated.variants,
        generated.attributes,
        s.boxed_fields
    );
    eprintln!(
        "  Json: {} free-form by schema, {} fallbacks; {} scalar unions widened to String, \
         {} object|scalar unions narrowed to the object, {} object unions merged, {} numeric enums kept numeric",
        s.json_declared,
        s.fallback_count(),
        s.widened_to_string,
        s.narrowed_to_object,
        s.merged_unions,
        s.numeric_enums
    );
    for (reason, sites) in &s.json_fallbacks {
        eprintln!("    fallback ({reason}): {}", sites.len());
        let shown = if args.report {
            sites.len()
        } else {
            3.min(sites.len())
        };
        for site in &sites[..shown] {
            eprintln!("      {site}");
        }
    }
    eprintln!(
        "  {} files, {lines} lines, {:.1} MB, generated in {:.2} s",
        generated.files.len(),
        bytes as f64 / 1e6,
        elapsed.as_secs_f64()
    );

    if args.check {
        let stale = stale_files(&generated.files, &args.out);
        if stale.is_empty() {
            eprintln!("{}: up to date", args.out.display());
            return Ok(true);
        }
        for (path, why) in &stale {
            println!("stale: {} ({why})", args.out.join(path).display());
        }
        eprintln!(
            "{} stale files: run `cargo run -p cfn-codegen` and commit the result",
            stale.len()
        );
        return Ok(false);
    }
    let changed = write_files(&generated.files, &args.out)?;
    eprintln!("{}: {changed} files written or removed", args.out.display());
    Ok(true)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("cfn-codegen: {e}");
            ExitCode::from(2)
        }
    }
}
