"""HTTP API, stage, routes, integration and JWT authorizer through CloudFormation."""

import pytest
from botocore.exceptions import ClientError
from conftest import REGION, VIAS, Emulator, deploy, outputs, template, unique

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"


def api_template(name: str, cors_origin: str, route_auth: str) -> dict:
    authorized = {"AuthorizationType": "JWT", "AuthorizerId": {"Ref": "Authorizer"}}
    return template(
        {
            "Api": {
                "Type": "AWS::ApiGatewayV2::Api",
                "Properties": {
                    "Name": name,
                    "ProtocolType": "HTTP",
                    "CorsConfiguration": {"AllowOrigins": [cors_origin],
                                          "AllowMethods": ["GET"], "MaxAge": 600},
                },
            },
            "Integration": {
                "Type": "AWS::ApiGatewayV2::Integration",
                "Properties": {
                    "ApiId": {"Ref": "Api"},
                    "IntegrationType": "AWS_PROXY",
                    "IntegrationUri": f"arn:aws:lambda:{REGION}:123456789012:function:{name}",
                    "PayloadFormatVersion": "2.0",
                },
            },
            "Authorizer": {
                "Type": "AWS::ApiGatewayV2::Authorizer",
                "Properties": {
                    "ApiId": {"Ref": "Api"},
                    "AuthorizerType": "JWT",
                    "Name": "jwt",
                    "IdentitySource": ["$request.header.Authorization"],
                    "JwtConfiguration": {"Audience": ["client-1"], "Issuer": ISSUER},
                },
            },
            "Route": {
                "Type": "AWS::ApiGatewayV2::Route",
                "Properties": {
                    "ApiId": {"Ref": "Api"},
                    "RouteKey": "GET /items",
                    "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]},
                    **(authorized if route_auth == "JWT" else {"AuthorizationType": "NONE"}),
                },
            },
            "PublicRoute": {
                "Type": "AWS::ApiGatewayV2::Route",
                "Properties": {
                    "ApiId": {"Ref": "Api"},
                    "RouteKey": "GET /health",
                    "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "Integration"}]]},
                },
            },
            "Stage": {
                "Type": "AWS::ApiGatewayV2::Stage",
                "Properties": {
                    "ApiId": {"Ref": "Api"},
                    "StageName": "$default",
                    "AutoDeploy": True,
                    "DefaultRouteSettings": {"ThrottlingBurstLimit": 20,
                                             "ThrottlingRateLimit": 10.0},
                    "AccessLogSettings": {"DestinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:x",
                                          "Format": "$context.requestId"},
                },
            },
        },
        {
            "ApiId": {"Ref": "Api"},
            "ApiIdAttr": {"Fn::GetAtt": ["Api", "ApiId"]},
            "Endpoint": {"Fn::GetAtt": ["Api", "ApiEndpoint"]},
            "IntegrationId": {"Ref": "Integration"},
            "AuthorizerId": {"Ref": "Authorizer"},
            "RouteId": {"Ref": "Route"},
            "RouteIdAttr": {"Fn::GetAtt": ["Route", "RouteId"]},
            "StageName": {"Ref": "Stage"},
            # As the templates build Lambda permissions' source ARNs.
            "SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/GET/items"},
        },
    )


@VIAS
def test_http_api(aws, via):
    cfn, apigw = aws("cloudformation"), aws("apigatewayv2")
    name = unique("api")
    stack = deploy(cfn, name, api_template(name, "http://localhost:3000", "JWT"), via=via)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    out = outputs(stack)
    api_id = out["ApiId"]

    api = apigw.get_api(ApiId=api_id)
    assert api["Name"] == name and api["ProtocolType"] == "HTTP"
    assert api["CorsConfiguration"]["AllowOrigins"] == ["http://localhost:3000"]
    assert api["CorsConfiguration"]["MaxAge"] == 600
    assert out["ApiIdAttr"] == api_id
    assert out["Endpoint"] == api["ApiEndpoint"] == f"https://{api_id}.execute-api.{REGION}.amazonaws.com"
    assert out["SourceArn"] == f"arn:aws:execute-api:{REGION}:123456789012:{api_id}/*/GET/items"

    routes = {r["RouteKey"]: r for r in apigw.get_routes(ApiId=api_id)["Items"]}
    assert set(routes) == {"GET /items", "GET /health"}
    items = routes["GET /items"]
    assert items["RouteId"] == out["RouteId"] == out["RouteIdAttr"]
    assert items["Target"] == f"integrations/{out['IntegrationId']}"
    assert items["AuthorizationType"] == "JWT" and items["AuthorizerId"] == out["AuthorizerId"]
    assert routes["GET /health"]["AuthorizationType"] == "NONE"

    integration = apigw.get_integration(ApiId=api_id, IntegrationId=out["IntegrationId"])
    assert integration["IntegrationType"] == "AWS_PROXY"
    assert integration["PayloadFormatVersion"] == "2.0"
    assert integration["IntegrationUri"].endswith(f":function:{name}")

    authorizer = apigw.get_authorizer(ApiId=api_id, AuthorizerId=out["AuthorizerId"])
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["JwtConfiguration"] == {"Audience": ["client-1"], "Issuer": ISSUER}
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    # GetAuthorizers (a 500 in plain moto) lists the same authorizer.
    listed = apigw.get_authorizers(ApiId=api_id)["Items"]
    authorizer.pop("ResponseMetadata")
    assert listed == [authorizer]

    stage = apigw.get_stage(ApiId=api_id, StageName="$default")
    assert out["StageName"] == "$default"
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 20
    assert stage["AccessLogSettings"]["Format"] == "$context.requestId"

    # Update in place: ids stay, CORS and the route's authorization change.
    stack = deploy(cfn, name, api_template(name, "https://app.example.com", "NONE"), via=via)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert outputs(stack)["ApiId"] == api_id and outputs(stack)["RouteId"] == out["RouteId"]
    assert apigw.get_api(ApiId=api_id)["CorsConfiguration"]["AllowOrigins"] == ["https://app.example.com"]
    route = apigw.get_route(ApiId=api_id, RouteId=out["RouteId"])
    assert route["AuthorizationType"] == "NONE" and "AuthorizerId" not in route

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        apigw.get_api(ApiId=api_id)


def test_get_authorizers_without_any_cloudformation_request():
    """The launcher applies the fix when it builds the apigatewayv2 app, so it works on a
    server that never saw a CloudFormation request (register() did not run there)."""
    server = Emulator()
    try:
        apigw = server.client("apigatewayv2")
        api_id = apigw.create_api(Name=unique("api"), ProtocolType="HTTP")["ApiId"]
        assert apigw.get_authorizers(ApiId=api_id)["Items"] == []
        jwt = {"Audience": ["client-1"], "Issuer": ISSUER}
        ids = [
            apigw.create_authorizer(
                ApiId=api_id, Name=name, AuthorizerType="JWT", JwtConfiguration=jwt,
                IdentitySource=["$request.header.Authorization"],
            )["AuthorizerId"]
            for name in ("first", "second")
        ]
        listed = apigw.get_authorizers(ApiId=api_id)["Items"]
        assert [(a["AuthorizerId"], a["Name"]) for a in listed] == list(zip(ids, ["first", "second"]))
        assert listed[0]["JwtConfiguration"] == jwt
        with pytest.raises(ClientError, match="NotFound"):
            apigw.get_authorizers(ApiId="missing")
    finally:
        server.stop()
