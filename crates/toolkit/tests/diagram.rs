//! The architecture diagram on a small fixture app (three stacks, every kind of edge):
//! golden files for both formats, the edges that matter asserted one by one, and the
//! committed-file check. Regenerate the golden files with `UPDATE_GOLDEN=1`.
use std::path::{Path, PathBuf};

use toolkit::diagram::{self, Diagram, EdgeKind, FileOutcome, Format, NodeId};
use toolkit::synth::SynthesizedStack;

const STACKS: [&str; 3] = ["Store", "Service", "Watch"];
const COMMAND: &str = "cargo run -p shop -- diagram --stage dev";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagram")
}

fn stacks(order: &[&str]) -> Vec<SynthesizedStack> {
    order
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap();
            SynthesizedStack::new(
                name,
                &format!("shop-dev-{}", name.to_lowercase()),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

fn fixture_diagram() -> Diagram {
    diagram::diagram_of("shop", "dev", &stacks(&STACKS)).unwrap()
}

fn golden(file: &str, actual: &str) {
    let path = fixtures().join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{file} differs from the rendering (UPDATE_GOLDEN=1 to accept):\n{}",
        similar::TextDiff::from_lines(expected.as_str(), actual).unified_diff()
    );
}

/// The label lines of the edge `from → to` of that kind; panics naming what is there.
fn edge(diagram: &Diagram, from: &str, to: &str, kind: EdgeKind) -> Vec<String> {
    let (from, to) = (NodeId(from.into()), NodeId(to.into()));
    diagram
        .edges
        .iter()
        .find(|e| e.from == from && e.to == to && e.kind == kind)
        .map(|e| e.lines.clone())
        .unwrap_or_else(|| {
            let all: Vec<String> = diagram
                .edges
                .iter()
                .map(|e| format!("{} -> {} {:?}", e.from.0, e.to.0, e.kind))
                .collect();
            panic!(
                "no {kind:?} edge {} -> {}; edges:\n{}",
                from.0,
                to.0,
                all.join("\n")
            )
        })
}

#[test]
fn mermaid_page_matches_the_golden_file() {
    golden(
        "expected.md",
        &diagram::render(&fixture_diagram(), Format::Mermaid, COMMAND),
    );
}

#[test]
fn dot_matches_the_golden_file() {
    golden(
        "expected.dot",
        &diagram::render(&fixture_diagram(), Format::Dot, COMMAND),
    );
}

#[test]
fn routes_say_method_path_and_whether_the_authorizer_protects_them() {
    let d = fixture_diagram();
    assert_eq!(
        edge(&d, "Service_Api", "Service_OrdersFunction", EdgeKind::Route),
        ["GET /health [open]", "GET /orders [jwt]"]
    );
    assert_eq!(
        edge(&d, "ext_clients", "Service_Api", EdgeKind::Route),
        ["HTTPS"]
    );
}

#[test]
fn grants_are_summarized_per_target_across_stacks_and_through_ssm() {
    let d = fixture_diagram();
    assert_eq!(
        edge(&d, "Service_OrdersFunction", "Store_Table", EdgeKind::Grant),
        ["query GSI1", "read/write"]
    );
    // userpool/${UserPoolId}: a parameter whose SSM name the Store stack writes.
    assert_eq!(
        edge(&d, "Service_OrdersFunction", "Store_Users", EdgeKind::Grant),
        ["AdminGetUser"]
    );
    assert_eq!(
        edge(&d, "Service_ThumbsFunction", "Store_Files", EdgeKind::Grant),
        ["get uploads/*", "put thumbs/*"]
    );
    // Log groups are no nodes, so the log statements draw nothing.
    assert!(!d.nodes.keys().any(|n| n.0.contains("LogGroup")));
    assert_eq!(d.not_drawn["AWS::Logs::LogGroup"], 2);
}

#[test]
fn triggers_alarms_and_budgets_point_where_their_notifications_go() {
    let d = fixture_diagram();
    assert_eq!(
        edge(
            &d,
            "Store_Files",
            "Service_ThumbsFunction",
            EdgeKind::Trigger
        ),
        ["s3:ObjectCreated:* prefix uploads/"]
    );
    assert_eq!(
        edge(
            &d,
            "Service_Nightly",
            "Service_ThumbsFunction",
            EdgeKind::Trigger
        ),
        ["invoke"]
    );
    assert_eq!(
        edge(
            &d,
            "Watch_CloudWatchAlarms",
            "Watch_Alerts",
            EdgeKind::Trigger
        ),
        ["ALARM", "OK"]
    );
    assert_eq!(
        edge(
            &d,
            "Watch_CloudWatchAlarms",
            "Service_OrdersFunction",
            EdgeKind::Watch
        ),
        ["Errors"]
    );
    // ApiId comes from SSM: the alarm still finds the API.
    assert_eq!(
        edge(&d, "Watch_CloudWatchAlarms", "Service_Api", EdgeKind::Watch),
        ["5xx"]
    );
    assert_eq!(
        edge(&d, "Watch_Budget", "Watch_Alerts", EdgeKind::Trigger),
        ["actual > 80%"]
    );
    assert_eq!(
        edge(
            &d,
            "Watch_Budget",
            "ext_email_ops_shop_example",
            EdgeKind::Trigger
        ),
        ["actual > 80%"]
    );
    assert_eq!(
        edge(
            &d,
            "Watch_Alerts",
            "ext_email_ops_shop_example",
            EdgeKind::Trigger
        ),
        ["email"]
    );
}

#[test]
fn references_show_what_no_other_edge_does() {
    let d = fixture_diagram();
    assert_eq!(
        edge(&d, "Service_Api", "Store_Users", EdgeKind::Reference),
        ["JwtConfiguration via ssm store/user-pool-id"]
    );
    assert_eq!(
        edge(
            &d,
            "Service_OrdersFunction",
            "Store_Files",
            EdgeKind::Reference
        ),
        ["env BUCKET_NAME"]
    );
    // TABLE_NAME names the table, but the grant edge already joins the two.
    assert!(!d.edges.iter().any(|e| e.kind == EdgeKind::Reference
        && e.from.0 == "Service_OrdersFunction"
        && e.to.0 == "Store_Table"));
}

#[test]
fn nodes_carry_the_facts_recovery_depends_on() {
    let d = fixture_diagram();
    let table = &d.nodes[&NodeId("Store_Table".into())];
    assert_eq!(
        table.lines,
        ["table", "DynamoDB table · GSI1 · PITR · retained"]
    );
    let files = &d.nodes[&NodeId("Store_Files".into())];
    assert_eq!(
        files.lines,
        ["files-{account}-{region}", "S3 bucket · versioned"]
    );
}

#[test]
fn the_order_stacks_come_in_changes_only_the_order_of_their_boxes() {
    let forward = fixture_diagram();
    let backward =
        diagram::diagram_of("shop", "dev", &stacks(&["Watch", "Service", "Store"])).unwrap();
    assert_eq!(forward.nodes, backward.nodes);
    assert_eq!(forward.edges, backward.edges);
    let again = diagram::render(&fixture_diagram(), Format::Mermaid, COMMAND);
    assert_eq!(diagram::render(&forward, Format::Mermaid, COMMAND), again);
}

#[test]
fn a_stale_or_missing_committed_file_is_caught_and_a_current_one_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs/architecture-dev.md");
    let content = diagram::render(&fixture_diagram(), Format::Mermaid, COMMAND);
    match diagram::write_or_check(&path, &content, true).unwrap() {
        FileOutcome::Stale(message) => assert!(message.contains("does not exist"), "{message}"),
        other => panic!("missing file not caught: {other:?}"),
    }
    assert_eq!(
        diagram::write_or_check(&path, &content, false).unwrap(),
        FileOutcome::Written(true)
    );
    assert_eq!(
        diagram::write_or_check(&path, &content, false).unwrap(),
        FileOutcome::Written(false)
    );
    assert_eq!(
        diagram::write_or_check(&path, &content, true).unwrap(),
        FileOutcome::Current
    );
    // Someone edits the stacks (here: the page) without regenerating.
    let stale = content.replace("GET /orders [jwt]", "GET /orders [open]");
    std::fs::write(&path, &stale).unwrap();
    match diagram::write_or_check(&path, &content, true).unwrap() {
        FileOutcome::Stale(diff) => {
            assert!(diff.contains("-  Service_Api ==>"), "{diff}");
            assert!(diff.contains("+  Service_Api ==>"), "{diff}");
        }
        other => panic!("stale file not caught: {other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        stale,
        "--check wrote"
    );
}
