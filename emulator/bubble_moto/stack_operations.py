"""Fixes to moto 5.2.5's ExecuteChangeSet and DeleteStack, applied by ``register()``
(monkeypatch).

What moto's ExecuteChangeSet does wrong, and what ``execute_change_set`` does instead:

1. A stack created or updated through a change set never gets its Outputs or Exports:
   moto builds the output map when the (empty, REVIEW_IN_PROGRESS) stack is created
   and never again. -> After applying, rebuild outputs from the new template and
   register the stack's exports, as CreateStack/UpdateStack do.
2. ``Fn::ImportValue`` fails in that path (the stack's resource map has no exports to
   read). -> Give the resource map the region's exports before applying.
3. Any error while applying escapes as an HTTP 500 and leaves the stack in
   REVIEW_IN_PROGRESS (or *_IN_PROGRESS). -> Like AWS, ExecuteChangeSet succeeds
   (execution is asynchronous there) and the stack ends in ROLLBACK_COMPLETE /
   UPDATE_ROLLBACK_COMPLETE after a best-effort rollback (ROLLBACK_FAILED /
   UPDATE_ROLLBACK_FAILED if that fails too), with the error as StackStatusReason
   and in a *_FAILED stack event; the change set becomes EXECUTE_FAILED.
4. The stack's template, description and parameters are not all updated. -> They are.
5. An unknown change set name raises UnboundLocalError (HTTP 500). -> ValidationError,
   and a change set that is not AVAILABLE cannot be executed (InvalidChangeSetStatus).

DeleteStack: when deleting a resource fails (e.g. an RDS instance with deletion
protection), moto answers with the resource's error *and* forgets the stack (it is in
neither the live nor the deleted stacks any more). -> ``delete_stack`` leaves the stack
in DELETE_FAILED with the error as StackStatusReason, and answers success as AWS does
(deletion is asynchronous there).

Upstream, these are the bodies of ``CloudFormationBackend.execute_change_set`` and
``delete_stack``.
"""

from __future__ import annotations

import logging
from typing import Any

from moto.cloudformation import models as cfn
from moto.cloudformation.exceptions import CloudFormationError, ValidationError

logger = logging.getLogger(__name__)


class InvalidChangeSetStatus(CloudFormationError):
    # A modeled CloudFormation error: moto's serializer takes the HTTP status (400)
    # from the service model.
    code = "InvalidChangeSetStatus"


def _find_change_set(backend: Any, change_set_name: str, stack_name: str | None) -> Any:
    if change_set_name in backend.change_sets:  # an ARN
        return backend.change_sets[change_set_name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == change_set_name and (
            stack_name is None or stack_name in (change_set.stack_name, change_set.stack_id)
        ):
            return change_set
    raise ValidationError(message=f"ChangeSet [{change_set_name}] does not exist")


def _reason(err: BaseException) -> str:
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return f"{type(err).__name__}: {message}"


def _publish_outputs(backend: Any, stack: Any) -> None:
    """Outputs and exports from the stack's current template (fix 1). Evaluates them
    now, so a bad output fails the execution instead of a later DescribeStacks."""
    stack.resource_map.validate_outputs()
    stack.output_map = stack._create_output_map()
    _ = stack.outputs
    for name in [n for n, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id]:
        del backend.exports[name]
    backend._validate_export_uniqueness(stack)
    for export in stack.exports:
        backend.exports[export.name] = export


def execute_change_set(self: Any, change_set_name: str, stack_name: str | None = None) -> None:
    change_set = _find_change_set(self, change_set_name, stack_name)
    if change_set.execution_status != "AVAILABLE":
        raise InvalidChangeSetStatus(
            f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current "
            f"execution status of [{change_set.execution_status}]"
        )
    stack = self.stacks[change_set.stack_id]
    action = change_set.change_set_type  # CREATE | UPDATE
    previous = (stack.template, stack.parameters)

    stack.resource_map.cross_stack_resources = self.exports  # fix 2
    stack.status = f"{action}_IN_PROGRESS"
    stack._add_stack_event(stack.status, resource_status_reason="User Initiated")
    try:
        change_set.apply()
        stack.template = change_set.template
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.parameters = change_set.parameters
        _publish_outputs(self, stack)
    except Exception as err:  # noqa: BLE001 - any failure fails the execution, like AWS
        logger.warning("change set %s failed: %s", change_set.change_set_name, err)
        _fail(stack, action, _reason(err), previous)
        change_set.execution_status = "EXECUTE_FAILED"
        return

    change_set.execution_status = "EXECUTE_COMPLETE"
    stack.status = f"{action}_COMPLETE"
    stack.status_reason = None
    stack._add_stack_event(stack.status)


def _fail(stack: Any, action: str, reason: str, previous: tuple[Any, Any]) -> None:
    stack._add_stack_event(f"{action}_FAILED", resource_status_reason=reason)
    stack.status_reason = reason
    if action == "CREATE":
        # A failed creation rolls back by deleting what was created.
        stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
        try:
            stack.resource_map.delete()
            stack.status = "ROLLBACK_COMPLETE"
        except Exception as err:  # noqa: BLE001
            stack.status = "ROLLBACK_FAILED"
            stack.status_reason = f"{reason}; rollback: {_reason(err)}"
    else:
        # A failed update goes back to the previous template and parameters.
        stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=reason)
        template, parameters = previous
        try:
            stack.resource_map.update(stack.parse_template(template), parameters)
            stack.template = template
            stack._parse_template()
            stack.parameters = parameters
            stack.output_map = stack._create_output_map()
            stack.status = "UPDATE_ROLLBACK_COMPLETE"
        except Exception as err:  # noqa: BLE001
            stack.status = "UPDATE_ROLLBACK_FAILED"
            stack.status_reason = f"{reason}; rollback: {_reason(err)}"
    stack._add_stack_event(stack.status, resource_status_reason=stack.status_reason)


def delete_stack(self: Any, name_or_stack_id: str) -> None:
    stacks = [
        s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)
    ]
    for stack in stacks:  # none: success, as AWS answers for a missing stack
        exports = [n for n, e in self.exports.items() if e.exporting_stack_id == stack.stack_id]
        stack.status = "DELETE_IN_PROGRESS"
        stack._add_stack_event(stack.status, resource_status_reason="User Initiated")
        try:
            stack.resource_map.delete()
        except Exception as err:  # noqa: BLE001 - any failure fails the deletion, like AWS
            logger.warning("deleting stack %s failed: %s", stack.name, err)
            stack.status = "DELETE_FAILED"
            stack.status_reason = _reason(err)
            stack._add_stack_event(stack.status, resource_status_reason=stack.status_reason)
            continue
        stack.status = "DELETE_COMPLETE"
        stack.status_reason = None
        stack._add_stack_event(stack.status)
        del self.stacks[stack.stack_id]
        self.deleted_stacks[stack.stack_id] = stack
        for name in exports:
            self.exports.pop(name, None)


_patched = False


def patch() -> None:
    global _patched
    if not _patched:
        cfn.CloudFormationBackend.execute_change_set = execute_change_set  # type: ignore[method-assign]
        cfn.CloudFormationBackend.delete_stack = delete_stack  # type: ignore[method-assign]
        _patched = True
