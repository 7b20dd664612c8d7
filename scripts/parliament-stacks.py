"""Runs parliament (IAM policy linter) over every IAM policy in the committed templates.

Usage: python scripts/parliament-stacks.py [DIR ...]   (default: stacks)
Exit 0 when no policy has a finding, 1 otherwise (each finding printed with its file,
resource and policy).

Templates hold intrinsic functions where parliament expects ARNs, so they are resolved
first to plausible values: pseudo parameters to a sample account and region, `Ref` and
`Fn::GetAtt` of a resource to the ARN (or name) format of its type, with the logical ID
as the name. Policies checked: inline and managed IAM policies (identity policies, what
parliament is written for) and the resource policies of buckets, topics and queues.
"""

import json
import re
import sys
from pathlib import Path

from parliament import analyze_policy_string

ACCOUNT, REGION, PARTITION = "123456789012", "us-east-1", "aws"
PSEUDO = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": PARTITION,
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "stack",
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/stack/1",
    "AWS::NoValue": "",
}
_PREFIX = f"arn:aws:{{svc}}:{REGION}:{ACCOUNT}"
# ARN of a resource named `{n}`, per type (the `Arn` attribute).
ARN = {
    "AWS::DynamoDB::Table": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{{n}}",
    "AWS::S3::Bucket": "arn:aws:s3:::{n}",
    "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{{n}}",
    "AWS::SNS::Topic": f"arn:aws:sns:{REGION}:{ACCOUNT}:{{n}}",
    "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{{n}}",
    "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{{n}}",
    "AWS::IAM::ManagedPolicy": f"arn:aws:iam::{ACCOUNT}:policy/{{n}}",
    "AWS::IAM::OIDCProvider": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
    "AWS::Logs::LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{{n}}:*",
    "AWS::Cognito::UserPool": f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_{{n}}",
    "AWS::SecretsManager::Secret": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{{n}}-AbCdEf",
    "AWS::SSM::Parameter": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/{{n}}",
    "AWS::KMS::Key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{{n}}",
    "AWS::Scheduler::ScheduleGroup": f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/{{n}}",
    "AWS::Scheduler::Schedule": f"arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/default/{{n}}",
    "AWS::Events::Rule": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{{n}}",
    "AWS::CloudTrail::Trail": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{{n}}",
    "AWS::CloudFront::Distribution": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{{n}}",
    "AWS::RDS::DBInstance": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{{n}}",
    "AWS::ApiGatewayV2::Api": f"arn:aws:apigateway:{REGION}::/apis/{{n}}",
    "AWS::CloudWatch::Alarm": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{{n}}",
}
# Types whose `Ref` is their ARN (the rest: their name or ID).
REF_IS_ARN = {
    "AWS::SNS::Topic",
    "AWS::SecretsManager::Secret",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::OIDCProvider",
    "AWS::KMS::Key",
}

# Findings we accept, per (logical ID, issue), with the reason. The execution role lists
# the handler permissions exactly as the CloudFormation registry schemas do (the template
# says so next to cfn-lint's W3037); parliament's bundled action list is older than the
# schemas, so it does not know some of them.
JUSTIFIED = {
    ("CloudFormationExecutionRole", "UNKNOWN_ACTION"): "registry-schema handler permissions "
    "newer than parliament's action list",
    ("CloudFormationExecutionRole", "UNKNOWN_PREFIX"): "registry-schema handler permissions "
    "of a service newer than parliament's action list",
}

POLICY_TYPES = {
    "AWS::IAM::Policy": ["PolicyDocument"],
    "AWS::IAM::ManagedPolicy": ["PolicyDocument"],
    "AWS::S3::BucketPolicy": ["PolicyDocument"],
    "AWS::SNS::TopicPolicy": ["PolicyDocument"],
    "AWS::SQS::QueuePolicy": ["PolicyDocument"],
}


class Resolver:
    def __init__(self, template):
        self.resources = template.get("Resources", {})

    def name(self, logical_id):
        return logical_id.lower()

    def ref(self, target):
        if target in PSEUDO:
            return PSEUDO[target]
        resource = self.resources.get(target)
        if resource is None:  # a parameter: a plausible name
            return self.name(target)
        if resource.get("Type") in REF_IS_ARN:
            return self.get_att(target, "Arn")
        return self.name(target)

    def get_att(self, target, attr):
        ty = self.resources.get(target, {}).get("Type", "")
        if attr.endswith("SecretArn"):  # e.g. a database's MasterUserSecret.SecretArn
            ty = "AWS::SecretsManager::Secret"
        if attr.endswith("Arn") and ty in ARN:
            return ARN[ty].format(n=self.name(target))
        if attr.endswith("Arn"):
            return f"arn:aws:unknown:{REGION}:{ACCOUNT}:{self.name(target)}"
        return self.name(target)

    def sub(self, text, variables):
        def one(m):
            key = m.group(1)
            if key in variables:
                return str(self.resolve(variables[key]))
            if key in PSEUDO:
                return PSEUDO[key]
            if "." in key:
                target, attr = key.split(".", 1)
                return self.get_att(target, attr)
            return self.ref(key)

        return re.sub(r"\$\{([^}!]+)\}", one, text)

    def resolve(self, v):
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, arg), = v.items()
            if k == "Ref":
                return self.ref(arg)
            if k == "Fn::GetAtt":
                target, attr = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.get_att(target, attr)
            if k == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else arg
                return self.sub(text, variables)
            if k == "Fn::Join":
                sep, parts = arg
                return sep.join(str(self.resolve(p)) for p in self.resolve(parts))
            if k == "Fn::If":
                return self.resolve(arg[1])
            if k in ("Fn::ImportValue", "Fn::Select", "Fn::Split", "Fn::GetAZs"):
                return "imported"
        return {k: self.resolve(x) for k, x in v.items()}


def policies(template):
    """(resource, label, document) for every policy document in the template."""
    for logical_id, resource in template.get("Resources", {}).items():
        ty, props = resource.get("Type"), resource.get("Properties", {})
        if ty == "AWS::IAM::Role":
            for p in props.get("Policies", []):
                yield logical_id, p.get("PolicyName", "?"), p["PolicyDocument"]
        for key in POLICY_TYPES.get(ty, []):
            if key in props:
                yield logical_id, key, props[key]


def main(dirs):
    files = sorted(p for d in dirs for p in Path(d).rglob("*.json"))
    checked = findings = justified = 0
    for path in files:
        template = json.loads(path.read_text())
        resolver = Resolver(template)
        for logical_id, label, document in policies(template):
            resolved = resolver.resolve(document)
            policy = analyze_policy_string(json.dumps(resolved))
            checked += 1
            for f in policy.findings:
                if (logical_id, f.issue) in JUSTIFIED:
                    justified += 1
                    continue
                findings += 1
                print(f"{path}: {logical_id} ({label}): {f.issue}: {f.detail}")
    print(
        f"parliament: {checked} policies in {len(files)} templates, {findings} findings "
        f"({justified} justified: see JUSTIFIED in {Path(__file__).name})"
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["stacks"]))
