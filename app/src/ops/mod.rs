//! Operator tasks on a deployed stage, outside the request path: `seed` fills a
//! non-production stage with sample data; `cleanup` finds (and with `--apply` removes)
//! photos no event refers to any more. Run by the `ops` binary.
pub mod cleanup;
pub mod seed;

/// Seeding writes made-up users and batches: never into production data.
pub fn refuse_production(stage: &str) -> Result<(), String> {
    if stage == "prod" {
        return Err("refusing to seed prod: seed data is for dev and test stages".into());
    }
    Ok(())
}
