"""AWS::Budgets::Budget, created in moto's Budgets backend (DescribeBudget and
DescribeNotificationsForBudget see it). Budgets is a global service: moto keeps one
backend per partition, keyed by account inside."""

from __future__ import annotations

import copy
from typing import Any

from moto.budgets.models import Budget, budgets_backends
from moto.core.common_models import CloudFormationModel
from moto.utilities.utils import get_partition

from ._common import ModelDefaults, epoch_seconds, properties


def _backend(account_id: str, region_name: str) -> Any:
    return budgets_backends[account_id][get_partition(region_name)]


def _spend(limit: dict[str, Any]) -> dict[str, Any]:
    # CloudFormation takes the amount as a number; the API's Spend.Amount is a string.
    return {**limit, "Amount": str(limit["Amount"])}


def _budget(name: str, spec: dict[str, Any]) -> dict[str, Any]:
    budget = copy.deepcopy(spec)
    budget["BudgetName"] = name
    if "BudgetLimit" in budget:
        budget["BudgetLimit"] = _spend(budget["BudgetLimit"])
    if "PlannedBudgetLimits" in budget:
        budget["PlannedBudgetLimits"] = {
            period: _spend(limit) for period, limit in budget["PlannedBudgetLimits"].items()
        }
    if "TimePeriod" in budget:
        budget["TimePeriod"] = {k: epoch_seconds(v) for k, v in budget["TimePeriod"].items()}
    return budget


class BudgetsBudget(ModelDefaults, CloudFormationModel):
    # Ref: the budget name. The type documents no Fn::GetAtt attribute.
    CREATE_ONLY = ("NotificationsWithSubscribers",)

    def __init__(self, account_id: str, region_name: str, name: str):
        self.account_id = account_id
        self.region_name = region_name
        self.name = name
        self.props: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Budgets::Budget"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    @classmethod
    def needs_replacement(cls, old: dict[str, Any], new: dict[str, Any]) -> bool:
        old_name = (old.get("Budget") or {}).get("BudgetName")
        new_name = (new.get("Budget") or {}).get("BudgetName")
        return old_name != new_name or super().needs_replacement(old, new)

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> BudgetsBudget:
        props = properties(cloudformation_json)
        # BudgetName is nested, so moto cannot fill it in: generate it like moto would.
        name = props["Budget"].get("BudgetName") or resource_name
        _backend(account_id, region_name).create_budget(
            account_id=account_id,
            budget=_budget(name, props["Budget"]),
            notifications=props.get("NotificationsWithSubscribers") or [],
        )
        model = cls(account_id, region_name, name)
        model.props = props
        return model

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[misc]
        cls,
        original_resource: BudgetsBudget,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> BudgetsBudget:
        props = properties(cloudformation_json)
        if cls.needs_replacement(original_resource.props, props):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name
            )
        # UpdateBudget: new limit/filters, same name and notifications.
        budgets = _backend(account_id, region_name).budgets[account_id]
        updated = Budget(_budget(original_resource.name, props["Budget"]), [])
        updated.notifications = budgets[original_resource.name].notifications
        budgets[original_resource.name] = updated
        original_resource.props = props
        return original_resource

    def delete(self, account_id: str, region_name: str) -> None:
        budgets = _backend(self.account_id, self.region_name).budgets[self.account_id]
        budgets.pop(self.name, None)
