"""Budget through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import ACCOUNT, VIAS, deploy, outputs, template, unique


def budget_template(name: str, amount: int) -> dict:
    return template(
        {
            "Budget": {
                "Type": "AWS::Budgets::Budget",
                "Properties": {
                    "Budget": {
                        "BudgetName": name,
                        "BudgetType": "COST",
                        "TimeUnit": "MONTHLY",
                        "BudgetLimit": {"Amount": amount, "Unit": "USD"},
                    },
                    "NotificationsWithSubscribers": [
                        {
                            "Notification": {
                                "NotificationType": "ACTUAL",
                                "ComparisonOperator": "GREATER_THAN",
                                "Threshold": 80,
                                "ThresholdType": "PERCENTAGE",
                            },
                            "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}],
                        }
                    ],
                },
            }
        },
        {"Name": {"Ref": "Budget"}},
    )


@VIAS
def test_budget(aws, via):
    cfn, budgets = aws("cloudformation"), aws("budgets")
    name = unique("monthly")
    out = outputs(deploy(cfn, name, budget_template(name, 25), via=via))
    assert out["Name"] == name

    budget = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=name)["Budget"]
    assert budget["BudgetLimit"] == {"Amount": "25", "Unit": "USD"}
    assert (budget["BudgetType"], budget["TimeUnit"]) == ("COST", "MONTHLY")
    notifications = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=name)
    assert notifications["Notifications"][0]["Threshold"] == 80
    assert notifications["Notifications"][0]["NotificationType"] == "ACTUAL"

    deploy(cfn, name, budget_template(name, 40), via=via)
    budget = budgets.describe_budget(AccountId=ACCOUNT, BudgetName=name)["Budget"]
    assert budget["BudgetLimit"]["Amount"] == "40"
    assert budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=name)["Notifications"]

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        budgets.describe_budget(AccountId=ACCOUNT, BudgetName=name)
