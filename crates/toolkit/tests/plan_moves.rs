//! The offline plan (against the templates committed on a git ref) with `moved`
//! declarations: a renamed or re-homed resource shows as moved, never as removed + added,
//! and a declaration that cannot apply is an error.
use serde_json::{json, Value};
use toolkit::diff::{self, Action, StackTemplates};

fn table() -> Value {
    json!({"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "app-dev-orders"}})
}

fn stack(name: &str, old: Option<Value>, new: Option<Value>) -> StackTemplates {
    StackTemplates {
        name: name.into(),
        stack_name: format!("app-dev-{}", name.to_lowercase()),
        old,
        new,
    }
}

#[test]
fn a_rename_in_the_same_stack_is_a_move_in_every_rendering() {
    let old = json!({"Resources": {"Table": table()}});
    let new = json!({
        "Metadata": {"BubbleBatch::Moved": [{"From": "Table", "To": "OrdersTable"}]},
        "Resources": {"OrdersTable": table()}
    });
    let stacks = [stack("Data", Some(old), Some(new))];
    // Without the declarations: a delete and a create of the table.
    let plain = diff::diff_all("dev", "main", None, &stacks);
    let actions: Vec<Action> = plain.stacks[0].resources.iter().map(|r| r.action).collect();
    assert_eq!(actions, [Action::Add, Action::Remove]);
    assert!(plain.destructive());

    let report = diff::diff_all_with_moves("dev", "main", None, &stacks).unwrap();
    let s = &report.stacks[0];
    assert!(s.resources.is_empty(), "{:?}", s.resources);
    assert_eq!(s.moves[0].describe(), "Table → OrdersTable");
    assert!(report.has_changes() && !report.destructive());
    assert_eq!(report.plan_exit_code(), diff::exit::CHANGES);
    let text = diff::text::render(&report, false);
    assert!(
        text.contains("OrdersTable (AWS::DynamoDB::Table): moved from Table"),
        "{text}"
    );
}

#[test]
fn a_move_from_a_stack_that_goes_away_and_a_bad_declaration() {
    let new = json!({
        "Metadata": {"BubbleBatch::Moved": [
            {"From": "Table", "FromStack": "app-dev-legacy", "To": "OrdersTable"}]},
        "Resources": {"OrdersTable": table()}
    });
    let stacks = [
        stack("Data", None, Some(new.clone())),
        stack(
            "Legacy",
            Some(json!({"Resources": {"Table": table()}})),
            None,
        ),
    ];
    let report = diff::diff_all_with_moves("dev", "main", None, &stacks).unwrap();
    assert_eq!(
        report.stacks[0].moves[0].describe(),
        "app-dev-legacy/Table → app-dev-data/OrdersTable"
    );
    assert!(
        !report.destructive(),
        "the table is not deleted with Legacy"
    );

    let mut typo = new;
    typo["Metadata"]["BubbleBatch::Moved"][0]["From"] = json!("Tabel");
    let stacks = [
        stack("Data", None, Some(typo)),
        stack(
            "Legacy",
            Some(json!({"Resources": {"Table": table()}})),
            None,
        ),
    ];
    let err = diff::diff_all_with_moves("dev", "main", None, &stacks).unwrap_err();
    assert!(
        err.contains("the deployed stack app-dev-legacy has no resource Tabel"),
        "{err}"
    );
}
