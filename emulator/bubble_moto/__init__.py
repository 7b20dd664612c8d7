"""CloudFormation models that moto 5.2.5 lacks, for the types our templates deploy.

moto's CloudFormation silently skips a resource type it has no model for (the stack
still reaches CREATE_COMPLETE, the resource has no physical id, Ref gives nothing).
The modules of this package add models for those types; each creates the real object
in moto's own service backend, so Ref/Fn::GetAtt resolve and the service's
Describe/Get calls see it. ``register()`` makes moto use them; ``python -m bubble_moto``
starts moto's server with them (see ``__main__``).

moto finds models through ``CloudFormationModel.__subclasses__()`` and caches the
result on first use, so ``register()`` must run before the first CloudFormation call.
"""

from __future__ import annotations

import importlib

# One module per AWS service; importing a module defines (and so registers) its models.
MODEL_MODULES = (
    "cognito",
    "apigatewayv2",
    "scheduler",
    "cloudwatch",
    "budgets",
    "s3",
    "sns",
    "awslambda",
    "secretsmanager",
    "rds",
    "ec2",
    "cloudfront",
    "acm",
    "cloudtrail",
)

_registered = False


def register() -> None:
    """Imports every model module and applies the fixes to moto. Idempotent."""
    global _registered
    if _registered:
        return
    # moto's own models first: where we replace one of moto's (Lambda::Version), the
    # later definition wins in moto's type -> model map.
    from moto.cloudformation import parsing

    for name in MODEL_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    # In case something asked moto for its model list before we got here.
    parsing.get_model_list.cache_clear()
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()

    from . import (
        apigatewayv2_fixes,
        email_otp,
        iam_fixes,
        recovery,
        route53,
        s3,
        stack_operations,
        stack_tags,
        template_parsing,
    )

    stack_operations.patch()  # change-set outputs, failures of execute/delete (see there)
    template_parsing.patch()  # dotted Fn::Sub attributes, stored templates (see there)
    s3.patch()  # bucket policy conditions (see s3.py)
    route53.patch()  # updating a record set deleted the others of its name (see there)
    stack_tags.patch()  # stack tags onto tables, buckets, queues (see there)
    recovery.patch()  # point-in-time restore by time, PITR/versioning from templates
    apigatewayv2_fixes.patch()  # GetAuthorizers (see apigatewayv2_fixes.py)
    iam_fixes.patch()  # role policies from templates: JSON, and updated (see iam_fixes.py)
    email_otp.patch()  # passwordless USER_AUTH/EMAIL_OTP sign-in, codes to a mail sink
    _registered = True


def added_types() -> list[str]:
    """The CloudFormation types this package models, sorted (for docs and tests)."""
    from moto.core.common_models import CloudFormationModel

    register()
    return sorted(
        cls.cloudformation_type()
        for cls in CloudFormationModel.__subclasses__()
        if cls.__module__.startswith(f"{__name__}.")
    )
