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
def domain_template(name: str, domain: str, mapping_key: str) -> dict:
    """An HTTP API on a custom domain: certificate, domain, mapping, alias records."""
    return template(
        {
            "Api": {"Type": "AWS::ApiGatewayV2::Api",
                    "Properties": {"Name": name, "ProtocolType": "HTTP"}},
            "Stage": {"Type": "AWS::ApiGatewayV2::Stage",
                      "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "$default",
                                     "AutoDeploy": True}},
            "Certificate": {
                "Type": "AWS::CertificateManager::Certificate",
                "Properties": {"DomainName": domain, "ValidationMethod": "DNS",
                               "DomainValidationOptions": [
                                   {"DomainName": domain, "HostedZoneId": {"Ref": "Zone"}}]},
            },
            "Domain": {
                "Type": "AWS::ApiGatewayV2::DomainName",
                "Properties": {"DomainName": domain, "DomainNameConfigurations": [{
                    "CertificateArn": {"Ref": "Certificate"},
                    "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}]},
            },
            "Mapping": {
                "Type": "AWS::ApiGatewayV2::ApiMapping",
                "DependsOn": ["Stage"],
                "Properties": {"ApiId": {"Ref": "Api"}, "DomainName": {"Ref": "Domain"},
                               "Stage": "$default", "ApiMappingKey": mapping_key},
            },
            **{
                f"Alias{record_type}": {
                    "Type": "AWS::Route53::RecordSet",
                    "Properties": {
                        "HostedZoneId": {"Ref": "Zone"}, "Name": domain, "Type": record_type,
                        "AliasTarget": {
                            "DNSName": {"Fn::GetAtt": ["Domain", "RegionalDomainName"]},
                            "HostedZoneId": {"Fn::GetAtt": ["Domain", "RegionalHostedZoneId"]}},
                    },
                }
                for record_type in ("A", "AAAA")
            },
        },
        {
            "ApiId": {"Ref": "Api"},
            "Certificate": {"Ref": "Certificate"},
            "Domain": {"Ref": "Domain"},
            "Target": {"Fn::GetAtt": ["Domain", "RegionalDomainName"]},
            "TargetZone": {"Fn::GetAtt": ["Domain", "RegionalHostedZoneId"]},
            "DomainArn": {"Fn::GetAtt": ["Domain", "DomainNameArn"]},
            "Mapping": {"Ref": "Mapping"},
            "MappingId": {"Fn::GetAtt": ["Mapping", "ApiMappingId"]},
        },
        {"Zone": {"Type": "AWS::Route53::HostedZone::Id"}},
    )


@VIAS
def test_custom_domain(aws, via):
    cfn, apigw, route53 = aws("cloudformation"), aws("apigatewayv2"), aws("route53")
    name = unique("domain")
    zone_name = f"{name}.example.com"
    zone_id = route53.create_hosted_zone(Name=zone_name, CallerReference=name)["HostedZone"]["Id"]
    zone_id = zone_id.removeprefix("/hostedzone/")
    domain = f"api.{zone_name}"

    out = outputs(deploy(cfn, name, domain_template(name, domain, "v1"), {"Zone": zone_id}, via=via))
    assert out["Domain"] == domain
    assert out["Target"].startswith("d-") and out["Target"].endswith(f".execute-api.{REGION}.amazonaws.com")
    assert len(out["Target"].split(".")[0]) == 12  # d- and 10 characters
    assert out["TargetZone"] == "Z1UJRXOUMOOFQ8"  # API Gateway's regional zone in us-east-1
    assert out["DomainArn"] == f"arn:aws:apigateway:{REGION}::/domainnames/{domain}"
    config = apigw.get_domain_name(DomainName=domain)["DomainNameConfigurations"][0]
    assert config == {
        "ApiGatewayDomainName": out["Target"], "CertificateArn": out["Certificate"],
        "DomainNameStatus": "AVAILABLE", "EndpointType": "REGIONAL",
        "HostedZoneId": "Z1UJRXOUMOOFQ8", "SecurityPolicy": "TLS_1_2",
    }
    assert out["Mapping"] == out["MappingId"]
    [mapping] = apigw.get_api_mappings(DomainName=domain)["Items"]
    assert mapping == {"ApiId": out["ApiId"], "ApiMappingId": out["Mapping"],
                       "ApiMappingKey": "v1", "Stage": "$default"}
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    aliases = {r["Type"]: r["AliasTarget"] for r in records if r["Name"].rstrip(".") == domain}
    assert {t: (a["DNSName"], a["HostedZoneId"]) for t, a in aliases.items()} == {
        "A": (out["Target"], "Z1UJRXOUMOOFQ8"), "AAAA": (out["Target"], "Z1UJRXOUMOOFQ8")}

    # A new mapping key: the mapping is updated in place, the domain keeps its target.
    out2 = outputs(deploy(cfn, name, domain_template(name, domain, "v2"), {"Zone": zone_id}, via=via))
    assert out2 == out
    assert apigw.get_api_mappings(DomainName=domain)["Items"][0]["ApiMappingKey"] == "v2"

    cfn.delete_stack(StackName=name)
    with pytest.raises(ClientError, match="NotFound"):
        apigw.get_domain_name(DomainName=domain)
    assert not [r for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
                if r["Type"] in ("A", "AAAA")]
