//! Echomate's dev stage through the same engine as BubbleBatch, on the local emulator:
//! bootstrap, first deploy of all five stacks (aliases, dashboard, billing alarm and
//! all), then a plan against the deployed stacks must be empty, then destroy.
#![cfg(feature = "aws")]
use std::io::Write;
use std::path::Path;

use echomate::APP;
use harness::Moto;
use toolkit::engine::clients::Clients;
use toolkit::engine::deploy::{Outcome, Safety};
use toolkit::engine::run::{scripted_ui, DeployOptions, DeployResult, Session};
use toolkit::synth::SynthesizedStack;

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The seed's handlers are not in this repository: one small real zip per function.
fn write_zips(dir: &Path, stacks: &[SynthesizedStack]) {
    for code in stacks.iter().flat_map(|s| &s.lambda_code) {
        let d = dir.join(&code.binary);
        std::fs::create_dir_all(&d).unwrap();
        let mut z = zip::ZipWriter::new(std::fs::File::create(d.join("bootstrap.zip")).unwrap());
        z.start_file("bootstrap", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(format!("#!/bin/sh\n# {}\n", code.binary).as_bytes())
            .unwrap();
        z.finish().unwrap();
    }
}

#[test]
fn dev_deploys_on_the_emulator_and_plans_empty_afterwards() {
    let moto = Moto::start();
    let stage = APP.stage("dev").unwrap();
    let stacks = APP.synth(stage);
    let work = tempfile::tempdir().unwrap();
    let zips = work.path().join("lambda");
    write_zips(&zips, &stacks);
    let session = run(async {
        Session::new(
            Clients::for_endpoint(&moto.endpoint()).await,
            scripted_ui(false, &[]),
            stage,
        )
        .with_app(&APP)
    });

    // Without zips, an app with no Lambda build of its own says what to pass.
    run(session.bootstrap()).expect("bootstrap");
    let mut options = DeployOptions {
        safety: Safety {
            yes: true,
            allow_replace: false,
        },
        hotswap: false,
        lambda_dir: None,
        repo: APP.root().to_path_buf(),
        outputs_file: work.path().join("outputs/dev.json"),
    };
    let err = run(session.deploy(&stacks, &options)).unwrap_err();
    assert!(format!("{err:#}").contains("--lambda-dir"), "{err:#}");

    options.lambda_dir = Some(zips.clone());
    let outcomes = match run(session.deploy(&stacks, &options)).expect("first deploy") {
        DeployResult::Deployed(o) => o,
        other => panic!("expected a change-set deploy, got {other:?}"),
    };
    assert_eq!(outcomes.len(), 5, "{outcomes:?}");
    assert!(
        outcomes.iter().all(|(_, o)| *o == Outcome::Created),
        "{outcomes:?}"
    );
    for s in &stacks {
        let info = run(session.engine().describe(&s.stack_name))
            .unwrap()
            .expect("stack exists");
        assert_eq!(info.status, "CREATE_COMPLETE", "{}", s.name);
    }
    let outputs = std::fs::read_to_string(&options.outputs_file).unwrap();
    assert!(
        outputs.contains("us-east-1_"),
        "real user pool id: {outputs}"
    );

    let plan = run(session.diff(&stacks, Some(&zips), APP.root(), false)).expect("plan");
    assert!(
        !plan.has_changes(),
        "plan against the deployed stacks is empty: {}",
        plan.to_json()
    );

    let deleted = run(session.destroy(&stacks, false)).expect("destroy");
    assert_eq!(deleted, 5);
}
