"""Fixes to moto 5.2.5's template parsing, applied by ``register()`` (monkeypatch).

1. ``Fn::Sub`` turns ``${Db.MasterUserSecret.SecretArn}`` into
   ``{"Fn::GetAtt": ["Db", "MasterUserSecret", "SecretArn"]}`` (it splits on every
   dot), and ``Fn::GetAtt`` then reads only the second element, asking for attribute
   "MasterUserSecret". The ``clean_json`` wrapper joins everything after the logical
   id back into one attribute name. ``clean_json`` calls itself through the module
   global, so the wrapper also sees nested values. Upstream: ``split(".", 1)``.
2. ``parse_resource`` adds ``"Properties": {}`` to a resource that has none *in the
   stack's stored template*, so the next update sees that resource as modified and
   replaces it (a new generated name, a new ARN). The wrapper hands it a copy.
   Upstream: copy before adding the key.
3. A parameter of type ``AWS::SSM::Parameter::Value<...>`` naming a missing SSM
   parameter fails with "'NoneType' object has no attribute 'value'". The wrapper
   raises CloudFormation's error instead ("Unable to fetch parameters [...]").
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.ssm.models import ssm_backends

_original_clean_json = parsing.clean_json
_original_parse_resource = parsing.parse_resource
_original_parse_ssm_parameter = parsing.ResourceMap.parse_ssm_parameter


def clean_json(resource_json: Any, resources_map: Any) -> Any:
    if isinstance(resource_json, dict):
        get_att = resource_json.get("Fn::GetAtt")
        if isinstance(get_att, list) and len(get_att) > 2:
            resource_json = {
                **resource_json,
                "Fn::GetAtt": [get_att[0], ".".join(str(part) for part in get_att[1:])],
            }
    return _original_clean_json(resource_json, resources_map)


def parse_resource(resource_json: dict[str, Any], resources_map: Any) -> Any:
    return _original_parse_resource(dict(resource_json), resources_map)


def parse_ssm_parameter(self: Any, value: str, value_type: str) -> Any:
    if ssm_backends[self._account_id][self._region_name].get_parameter(value) is None:
        raise ValidationError(
            message=f"Unable to fetch parameters [{value}] from parameter store for this account."
        )
    return _original_parse_ssm_parameter(self, value, value_type)


def patch() -> None:
    parsing.clean_json = clean_json
    parsing.parse_resource = parse_resource
    parsing.ResourceMap.parse_ssm_parameter = parse_ssm_parameter  # type: ignore[method-assign]
