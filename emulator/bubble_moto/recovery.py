"""What backup and restore need from the emulator (monkeypatches of moto 5.2.5), applied
by ``register()``, i.e. from the first CloudFormation request on.

- DynamoDB point-in-time recovery that honours the restore time. moto's
  RestoreTableToPointInTime copies the source table as it is *now* and ignores both
  ``RestoreDateTime`` and whether PITR is on, so "write, delete, restore to before the
  delete, find the items" could never pass. Here each successful write to a table with
  PITR enabled records a snapshot of its items (and enabling PITR records the first);
  a restore takes the last snapshot at or before ``RestoreDateTime`` (or the newest with
  ``UseLatestRestorableTime``) and refuses as AWS does when PITR is off
  (PointInTimeRecoveryUnavailableException) or the time is outside the recorded window
  (InvalidRestoreTimeException). Unlike AWS there is no 5-minute lag: the latest
  restorable time is the last write.
- CloudFormation: ``PointInTimeRecoverySpecification`` of AWS::DynamoDB::Table and
  ``VersioningConfiguration`` of AWS::S3::Bucket, which moto's models ignore on create.
- GetBucketVersioning answered with the ``VersioningConfiguration`` root element S3
  uses; moto's generic serializer writes ``GetBucketVersioningResponse``, which boto3
  tolerates and the AWS SDK for Rust rejects ("invalid XML root").
"""

from __future__ import annotations

import copy
import time
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import (
    ERROR_TYPE_PREFIX,
    PointInTimeRecoveryUnavailable,
    SourceTableNotFoundException,
)
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.s3.models import FakeBucket, s3_backends
from moto.s3.responses import S3Response
from moto.utilities.utils import get_partition

# (account, region, table name) -> [(unix time, items)], oldest first.
_history: dict[tuple[str, str, str], list[tuple[float, Any]]] = defaultdict(list)

# Handler methods that change items (or switch PITR on).
_WRITES = (
    "put_item",
    "update_item",
    "delete_item",
    "batch_write_item",
    "transact_write_items",
    "execute_statement",
    "batch_execute_statement",
    "execute_transaction",
    "update_continuous_backups",
)


class InvalidRestoreTime(JsonRESTError):
    def __init__(self, message: str):
        super().__init__(ERROR_TYPE_PREFIX + "InvalidRestoreTimeException", message)


def _pitr_enabled(table: Table) -> bool:
    description = table.continuous_backups["PointInTimeRecoveryDescription"]
    return description.get("PointInTimeRecoveryStatus") == "ENABLED"


def _snapshot(backend: Any) -> None:
    now = time.time()
    for name, table in backend.tables.items():
        if _pitr_enabled(table):
            key = (backend.account_id, backend.region_name, name)
            _history[key].append((now, copy.deepcopy(table.items)))


def _recording(method: Any) -> Any:
    def wrapper(self: DynamoHandler) -> Any:
        result = method(self)
        _snapshot(self.dynamodb_backend)
        return result

    wrapper.__name__ = method.__name__
    return wrapper


def _seconds(value: Any) -> float:
    """moto's request parsing gives a datetime (or, in older paths, epoch seconds)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.timestamp()
    return float(value)


def restore_table_to_point_in_time(self: DynamoHandler) -> Any:
    body = self.body
    backend = self.dynamodb_backend
    source_name = body.get("SourceTableName") or str(body.get("SourceTableArn", "")).split("/")[-1]
    source = backend.tables.get(source_name)
    if source is None:
        raise SourceTableNotFoundException(source_name)
    if not _pitr_enabled(source):
        raise PointInTimeRecoveryUnavailable(source_name)
    history = _history[(backend.account_id, backend.region_name, source_name)]
    if body.get("UseLatestRestorableTime") or "RestoreDateTime" not in body:
        items = source.items
    else:
        when = _seconds(body["RestoreDateTime"])
        earlier = [items for stamp, items in history if stamp <= when]
        if not earlier or when > time.time():
            window = f"{history[0][0]:.3f} to now" if history else "empty"
            raise InvalidRestoreTime(
                f"Restore time {when:.3f} is outside the table's restorable window ({window})"
            )
        items = earlier[-1]
    # moto's own restore creates the table (schema, indexes) from the source as it is now.
    restored = backend.restore_table_to_point_in_time(body.get("TargetTableName"), source_name)
    restored.items = copy.deepcopy(items)
    return DynamoResult(restored.describe())


def get_bucket_versioning(self: S3Response) -> tuple[int, dict[str, str], str]:
    status = self.backend.get_bucket_versioning(self.bucket_name)
    inner = f"<Status>{status}</Status>" if status else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"{inner}</VersioningConfiguration>"
    )
    return 200, {"Content-Type": "application/xml"}, body


def patch() -> None:
    S3Response.get_bucket_versioning = get_bucket_versioning  # type: ignore[method-assign,assignment]
    for name in _WRITES:
        setattr(DynamoHandler, name, _recording(getattr(DynamoHandler, name)))
    DynamoHandler.restore_table_to_point_in_time = restore_table_to_point_in_time  # type: ignore[method-assign]

    create_table = Table.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def table_from_cloudformation(cls: Any, resource_name: str, cloudformation_json: dict[str, Any],
                                  account_id: str, region_name: str, **kwargs: Any) -> Table:
        table = create_table(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        spec = cloudformation_json.get("Properties", {}).get("PointInTimeRecoverySpecification", {})
        if str(spec.get("PointInTimeRecoveryEnabled")).lower() == "true":
            backend = dynamodb_backends[account_id][region_name]
            backend.update_continuous_backups(table.name, {"PointInTimeRecoveryEnabled": True})
            _snapshot(backend)
        return table

    Table.create_from_cloudformation_json = classmethod(table_from_cloudformation)  # type: ignore[method-assign,assignment]

    create_bucket = FakeBucket.create_from_cloudformation_json.__func__  # type: ignore[attr-defined]

    def bucket_from_cloudformation(cls: Any, resource_name: str, cloudformation_json: dict[str, Any],
                                   account_id: str, region_name: str, **kwargs: Any) -> FakeBucket:
        bucket = create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        versioning = cloudformation_json.get("Properties", {}).get("VersioningConfiguration", {})
        if versioning.get("Status") == "Enabled":
            s3_backends[account_id][get_partition(region_name)].put_bucket_versioning(bucket.name, "Enabled")
        return bucket

    FakeBucket.create_from_cloudformation_json = classmethod(bucket_from_cloudformation)  # type: ignore[method-assign,assignment]
