"""Helpers shared by the CloudFormation models of this package.

No model class lives here. moto builds its type -> model map from
``CloudFormationModel.__subclasses__()``, which lists *direct* subclasses only, so
every model must name ``CloudFormationModel`` as a base itself. The shared behaviour
comes from ``ModelDefaults``, listed before it:

    class CognitoUserPool(ModelDefaults, CloudFormationModel): ...
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException


class ModelDefaults:
    """Defaults for a model whose backend object lives in a moto service backend.

    A model instance is what moto's stack keeps for one logical resource: it knows
    the backend object's identity (ids, names), never a copy of its state, so
    Describe/Get calls and Fn::GetAtt always read the same backend object.
    """

    #: Fn::GetAtt attributes this model answers (checked by moto's output validation).
    ATTRIBUTES: tuple[str, ...] = ()
    #: Properties whose change makes real CloudFormation replace the resource
    #: (``createOnlyProperties`` of the type's registry schema).
    CREATE_ONLY: tuple[str, ...] = ()

    @staticmethod
    def cloudformation_name_type() -> str:
        # "" = no name property that moto should fill with a generated name.
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.ATTRIBUTES:
            raise UnformattedGetAttTemplateException()
        return self.attribute(attribute_name)

    def attribute(self, name: str) -> Any:  # pragma: no cover - each model overrides
        raise UnformattedGetAttTemplateException()

    def is_created(self) -> bool:
        return True

    @classmethod
    def needs_replacement(cls, old: dict[str, Any], new: dict[str, Any]) -> bool:
        return any(old.get(p) != new.get(p) for p in cls.CREATE_ONLY)


def properties(cloudformation_json: dict[str, Any]) -> dict[str, Any]:
    return dict(cloudformation_json.get("Properties") or {})


def as_bool(value: Any, default: bool | None = None) -> bool | None:
    """CloudFormation hands booleans over as JSON booleans or as "true"/"false"
    (e.g. when they come from a parameter)."""
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def as_int(value: Any) -> int | None:
    return None if value is None else int(value)


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)


def camel_keys(value: Any) -> Any:
    """PascalCase keys (CloudFormation) -> camelCase keys (REST-JSON APIs such as
    apigatewayv2, whose moto backend stores the request JSON as it came)."""
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def epoch_seconds(value: Any) -> float | None:
    """CloudFormation dates are ISO 8601 strings; the APIs (and moto) use epoch seconds."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.replace(".", "", 1).isdigit():
        return float(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()
