//! `--role-arn`: CloudFormation gets the Delivery stack's execution role with every change
//! set, so the credentials that call the engine need no service permissions of their own.
//! On a private emulator: the bootstrap stack deployed with a role records it.
#![cfg(feature = "aws")]
use harness::Moto;
use infra::stacks::stage::Stage;
use toolkit::engine::clients::Clients;
use toolkit::engine::run::{scripted_ui, Session};

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn role_of_bootstrap_stack(role: Option<&str>) -> Option<String> {
    let moto = Moto::start();
    let session = run(async {
        let mut clients = Clients::for_endpoint(&moto.endpoint()).await;
        clients.cfn_role_arn = role.map(str::to_string);
        Session::new(clients, scripted_ui(false, &[]), Stage::Dev.info()).with_app(&infra::APP)
    });
    run(session.bootstrap()).expect("bootstrap");
    let described = run(session
        .clients
        .cfn
        .describe_stacks()
        .stack_name("bubblebatch-dev-bootstrap")
        .send())
    .expect("describe");
    described.stacks()[0].role_arn().map(str::to_string)
}

#[test]
fn change_sets_carry_the_execution_role_when_given() {
    let role =
        "arn:aws:iam::123456789012:role/bubblebatch-dev-delivery-CloudFormationExecutionRole";
    assert_eq!(role_of_bootstrap_stack(Some(role)).as_deref(), Some(role));
    assert_eq!(role_of_bootstrap_stack(None), None);
}
