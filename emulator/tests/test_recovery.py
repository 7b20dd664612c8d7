"""Point-in-time restore that honours the restore time, and PITR / bucket versioning
set through CloudFormation (bubble_moto/recovery.py)."""

import time
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError
from conftest import deploy, template, unique


def table_resource(name: str, pitr: bool) -> dict:
    return {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "TableName": name,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": pitr},
        },
    }


def keys(ddb, table: str) -> list:
    return sorted(i["PK"]["S"] for i in ddb.scan(TableName=table)["Items"])


def test_restore_returns_the_items_as_they_were_at_the_restore_time(aws):
    ddb, cfn = aws("dynamodb"), aws("cloudformation")
    name = unique("pitr")
    deploy(cfn, name, template({"Table": table_resource(name, True)}))
    status = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert status["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    for key in ("a", "b"):
        ddb.put_item(TableName=name, Item={"PK": {"S": key}})
    time.sleep(0.05)
    before_delete = datetime.now(timezone.utc)
    time.sleep(0.05)
    ddb.delete_item(TableName=name, Key={"PK": {"S": "a"}})
    ddb.put_item(TableName=name, Item={"PK": {"S": "c"}})

    ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=name + "-r1",
                                       RestoreDateTime=before_delete)
    assert keys(ddb, name + "-r1") == ["a", "b"]
    ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=name + "-r2",
                                       UseLatestRestorableTime=True)
    assert keys(ddb, name + "-r2") == ["b", "c"]
    assert keys(ddb, name) == ["b", "c"], "the source is untouched"


def test_restore_is_refused_without_pitr_or_outside_the_window(aws):
    ddb, cfn = aws("dynamodb"), aws("cloudformation")
    name = unique("nopitr")
    deploy(cfn, name, template({"Table": table_resource(name, False)}))
    with pytest.raises(ClientError) as off:
        ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=name + "-r",
                                           UseLatestRestorableTime=True)
    assert off.value.response["Error"]["Code"] == "PointInTimeRecoveryUnavailableException"

    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True})
    with pytest.raises(ClientError) as early:
        ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=name + "-r",
                                           RestoreDateTime=datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert early.value.response["Error"]["Code"] == "InvalidRestoreTimeException"


def test_bucket_versioning_from_the_template(aws):
    s3, cfn = aws("s3"), aws("cloudformation")
    name = unique("versioned")
    deploy(cfn, name, template({"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": name, "VersioningConfiguration": {"Status": "Enabled"}}}}))
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    s3.put_object(Bucket=name, Key="k", Body=b"one")
    s3.put_object(Bucket=name, Key="k", Body=b"two")
    versions = s3.list_object_versions(Bucket=name, Prefix="k")["Versions"]
    assert len(versions) == 2
