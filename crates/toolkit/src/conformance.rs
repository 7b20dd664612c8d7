//! What every app's own test suite asserts about its infrastructure: each stage
//! synthesizes to the same bytes twice, passes the resource limits and every policy, and
//! matches the templates committed under the app's stacks folder.
use crate::delivery_audit;
use crate::policy::Policies;
use crate::synth::{files, pipeline};
use crate::App;

/// Problems found, one line each; empty when the app conforms.
pub fn check_app(app: &App) -> anyhow::Result<Vec<String>> {
    let policies = Policies::load(&app.policies_path())?;
    let mut problems = Vec::new();
    for &stage in app.stages {
        let stacks = app.synth(stage);
        if stacks != app.synth(stage) {
            problems.push(format!(
                "{stage}: two synths differ (non-deterministic stacks)"
            ));
        }
        if let Err(failure) = pipeline::check(stage.name, &stacks, &policies)? {
            problems.push(format!("{stage}: {}", failure.to_string().trim_end()));
        }
        for problem in files::check(&app.stacks_path(), stage.name, &stacks)? {
            problems.push(format!(
                "{stage}: {problem} (run `{} synth` and commit {})",
                app.command(),
                app.stacks_dir
            ));
        }
        problems.extend(check_delivery(app, stage, &stacks, &policies)?);
    }
    Ok(problems)
}

/// The stage's delivery stack: sound (see [`delivery_audit`]), within the per-stack
/// policies, and committed under `<stacks>/delivery/`.
fn check_delivery(
    app: &App,
    stage: crate::Stage,
    stacks: &[crate::synth::SynthesizedStack],
    policies: &Policies,
) -> anyhow::Result<Vec<String>> {
    let delivery = app.delivery(stage)?;
    let mut problems: Vec<String> = delivery_audit::audit(stage, stacks, &delivery)?
        .into_iter()
        .map(|p| format!("{stage} delivery: {p}"))
        .collect();
    let single = std::slice::from_ref(&delivery);
    if let Err(failure) = pipeline::check(stage.name, single, &policies.per_stack())? {
        problems.push(format!(
            "{stage} delivery: {}",
            failure.to_string().trim_end()
        ));
    }
    for problem in files::check(&app.stacks_path().join("delivery"), stage.name, single)? {
        problems.push(format!(
            "{stage} delivery: {problem} (run `{} delivery` and commit {}/delivery)",
            app.command(),
            app.stacks_dir
        ));
    }
    Ok(problems)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Stage;
    use constructs::stage::RouteThrottle;
    use constructs::{Stack, StageConfig};

    const CONFIG: StageConfig = StageConfig {
        app: "conformance",
        title: "Conformance",
        stage: "dev",
        production: false,
        region: "us-east-1",
        log_retention_days: 14,
        retain_data: false,
        point_in_time_recovery: false,
        bucket_versioning: false,
        alarm_email: "a@example.com",
        mail_domain: "example.com",
        monthly_budget_usd: 1,
        throttle_rate_limit: 1.0,
        throttle_burst_limit: 1,
        open_route_throttle: RouteThrottle {
            rate_limit: 1.0,
            burst_limit: 1,
        },
        cors_origins: &[],
        cost_center: "conformance",
    };
    pub(crate) const STAGES: [Stage; 1] = [Stage::of(&CONFIG)];

    pub(crate) fn budget_only(_: Stage) -> Vec<Stack> {
        let mut stack = Stack::new("Monitoring", &CONFIG, "budget");
        constructs::budget::MonthlyBudget::new(&stack, "monthly", 1).add_to(
            &mut stack,
            &cfn_core::Expr::from("arn:aws:sns:us-east-1:111111111111:alerts"),
            "a@example.com",
        );
        vec![stack]
    }

    #[test]
    fn a_stale_or_missing_template_is_reported_and_a_current_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let root: &'static str =
            Box::leak(dir.path().to_str().unwrap().to_string().into_boxed_str());
        std::fs::create_dir_all(dir.path().join("policies")).unwrap();
        std::fs::write(
            dir.path().join("policies/stack.guard"),
            "rule ALWAYS { Resources exists }\n",
        )
        .unwrap();
        let app = App {
            name: "conformance",
            package: "conformance",
            stages: &STAGES,
            stacks: budget_only,
            stacks_dir: "stacks",
            root,
            lambda_build: None,
            usage: None,
            declared: None,
        };
        let missing = check_app(&app).unwrap();
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].contains("Monitoring"), "{missing:?}");
        assert!(missing[1].contains("delivery"), "{missing:?}");

        let stacks = app.synth(STAGES[0]);
        files::write(&app.stacks_path(), "dev", &stacks).unwrap();
        let delivery = [app.delivery(STAGES[0]).unwrap()];
        files::write(&app.stacks_path().join("delivery"), "dev", &delivery).unwrap();
        assert_eq!(check_app(&app).unwrap(), Vec::<String>::new());

        let path = app.stacks_path().join("dev/Monitoring.json");
        std::fs::write(&path, "{}\n").unwrap();
        let stale = check_app(&app).unwrap();
        assert_eq!(stale.len(), 1, "{stale:?}");
    }
}
