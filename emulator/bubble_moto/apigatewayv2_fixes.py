"""Fix to moto 5.2.5's apigatewayv2 service (monkeypatch), applied by ``register()`` and
by the launcher when it builds the apigatewayv2 app.

GetAuthorizers (``GET /v2/apis/{apiId}/authorizers``) is routed by moto but has no
handler, so every call was an HTTP 500. A deploy that reads its API back (the engine's
route verification) lists the authorizers with it. Upstream, this is a
``get_authorizers`` method of ``ApiGatewayV2Response`` (and of the backend).
"""

from __future__ import annotations

import json

from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.core.responses import TYPE_RESPONSE


def get_authorizers(self: ApiGatewayV2Response) -> TYPE_RESPONSE:
    """Every authorizer of the API, in creation order, as GetAuthorizer shows each. One
    page: moto paginates none of apigatewayv2's list calls (GetRoutes, GetIntegrations)."""
    api_id = self.path.split("/")[-2]
    api = self.apigatewayv2_backend.get_api(api_id)
    items = [authorizer.to_json() for authorizer in api.authorizers.values()]
    return 200, {}, json.dumps({"items": items})


def patch() -> None:
    ApiGatewayV2Response.get_authorizers = get_authorizers  # type: ignore[attr-defined]
