//! Synth speed: the two real stages, and generated apps of 10, 100 and 1,000 functions.
//! Run: `cargo bench -p infra --bench synth`; medians go in the README.
use cfn_core::iam::actions::dynamodb;
use constructs::function::Function;
use constructs::http_api::{Auth, HttpApi};
use constructs::table::Table;
use constructs::Stack;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use infra::stacks::stage::Stage;
use infra::synth_stage;
use toolkit::policy::Policies;

/// Functions per generated stack: 6 resources each keeps a stack far below 500.
const FUNCTIONS_PER_STACK: usize = 25;

/// `n` functions, each with its own role, log group, grant on a shared table and an API
/// route, split over as many stacks as the resource limit needs.
fn generated_app(n: usize) -> Vec<String> {
    let stage = Stage::Dev.config();
    let mut data = Stack::new("Data", &stage, "generated");
    let table = Table::new(&data, "table", "PK")
        .sort_key("SK")
        .add_to(&mut data);
    let mut templates = vec![data.synthesize().template_json];
    for chunk in 0..n.div_ceil(FUNCTIONS_PER_STACK) {
        let mut stack = Stack::new(&format!("Api{chunk}"), &stage, "generated");
        let mut api = HttpApi::new(&stack, &format!("api-{chunk}"));
        for i in chunk * FUNCTIONS_PER_STACK..((chunk + 1) * FUNCTIONS_PER_STACK).min(n) {
            let mut function = Function::new(&stack, &format!("handler-{i}"), "generated")
                .env("TABLE_NAME", table.name.as_str());
            table.grant(&mut function, &[dynamodb::GET_ITEM, dynamodb::QUERY]);
            let function = function.add_to(&mut stack);
            api = api.route(
                "GET",
                leak(format!("/items{i}/{{id}}")),
                &function,
                Auth::None,
            );
        }
        api.add_to(&mut stack);
        templates.push(stack.synthesize().template_json);
    }
    templates
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn stages(c: &mut Criterion) {
    let policies = Policies::load(&infra::APP.policies_path()).unwrap();
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
}

fn generated(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated app");
    group.sample_size(10);
    for n in [10, 100, 1000] {
        group.bench_with_input(BenchmarkId::new("functions", n), &n, |b, &n| {
            b.iter(|| generated_app(n))
        });
    }
    group.finish();
}

criterion_group!(benches, stages, generated);
criterion_main!(benches);
