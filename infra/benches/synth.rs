//! Synth speed: the two real stages, and generated apps of 10, 100 and 1,000 functions,
//! each with and without the policy checks (every rule of `policies/` evaluated).
//! Run: `cargo bench -p infra --bench synth`; `scripts/bench-synth.sh` adds the
//! whole-process figures. Medians go in the README.
use cfn_core::iam::actions::dynamodb;
use constructs::alarm::Alarm;
use constructs::budget::MonthlyBudget;
use constructs::function::Function;
use constructs::http_api::{HttpApi, HttpMethod};
use constructs::table::Table;
use constructs::topic::AlertTopic;
use constructs::Stack;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use infra::stacks::stage::Stage;
use infra::synth_stage;
use toolkit::policy::Policies;
use toolkit::synth::SynthesizedStack;

/// Functions per generated stack: 7 resources each (function, role, log group, route,
/// integration, permission, errors alarm) keeps a stack far below 500.
const FUNCTIONS_PER_STACK: usize = 25;
const EMAIL: &str = "alerts@example.com";

/// `n` functions, each with its own role, log group, grant on a shared table, an API
/// route and an errors alarm, split over as many stacks as the resource limit needs, plus
/// the stage's budget: an app every policy passes.
fn generated_app(n: usize) -> Vec<SynthesizedStack> {
    let stage = Stage::Dev.config();
    let mut data = Stack::new("Data", &stage, "generated");
    let table = Table::new(&data, "table", "PK")
        .sort_key("SK")
        .add_to(&mut data);
    let topic = AlertTopic::for_alarms_and_budgets(&data, "alerts", EMAIL).add_to(&mut data);
    MonthlyBudget::new(&data, "monthly", 25).add_to(&mut data, &topic, EMAIL);
    let mut stacks = vec![data.synthesize()];
    for chunk in 0..n.div_ceil(FUNCTIONS_PER_STACK) {
        let mut stack = Stack::new(&format!("Api{chunk}"), &stage, "generated");
        let topic = AlertTopic::for_alarms_and_budgets(&stack, "alerts", EMAIL).add_to(&mut stack);
        let mut api = HttpApi::new(&stack, &format!("api-{chunk}"));
        for i in chunk * FUNCTIONS_PER_STACK..((chunk + 1) * FUNCTIONS_PER_STACK).min(n) {
            let mut function = Function::new(&stack, &format!("handler-{i}"), "generated")
                .env("TABLE_NAME", table.name.as_str());
            table.grant(&mut function, &[dynamodb::GET_ITEM, dynamodb::QUERY]);
            let function = function.add_to(&mut stack);
            Alarm::lambda_errors(&function.name, 10.0).add_to(&mut stack, &topic);
            api = api.open_route(
                HttpMethod::Get,
                leak(format!("/items{i}/{{id}}")),
                &function,
            );
        }
        api.add_to(&mut stack);
        stacks.push(stack.synthesize());
    }
    stacks
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn policies() -> Policies {
    Policies::load(&infra::APP.policies_path()).unwrap()
}

fn stages(c: &mut Criterion) {
    let policies = policies();
    for stage in Stage::ALL {
        c.bench_function(&format!("synth {stage} (5 stacks, templates only)"), |b| {
            b.iter(|| synth_stage(stage).unwrap())
        });
        c.bench_function(&format!("synth {stage} + policy checks"), |b| {
            b.iter(|| {
                let stacks = synth_stage(stage).unwrap();
                assert!(policies
                    .check_stage(stage.name(), &stacks)
                    .unwrap()
                    .is_empty());
            })
        });
    }
    c.bench_function("synth dev + prod + policy checks", |b| {
        b.iter(|| {
            for stage in Stage::ALL {
                let stacks = synth_stage(stage).unwrap();
                assert!(policies
                    .check_stage(stage.name(), &stacks)
                    .unwrap()
                    .is_empty());
            }
        })
    });
}

fn generated(c: &mut Criterion) {
    let policies = policies();
    let mut group = c.benchmark_group("generated app");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        group.bench_with_input(BenchmarkId::new("functions", n), &n, |b, &n| {
            b.iter(|| generated_app(n))
        });
        group.bench_with_input(BenchmarkId::new("functions + policies", n), &n, |b, &n| {
            b.iter(|| {
                let stacks = generated_app(n);
                let violations = policies.check_stage("dev", &stacks).unwrap();
                assert!(violations.is_empty(), "{violations:#?}");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, stages, generated);
criterion_main!(benches);
