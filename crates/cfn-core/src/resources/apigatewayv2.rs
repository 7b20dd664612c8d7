use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Api {
    pub name: Expr,
    pub description: Option<String>,
    pub protocol_type: String,
    pub cors_configuration: Option<Cors>,
}

impl ResourceProperties for Api {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Api";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Cors {
    pub allow_credentials: Option<bool>,
    pub allow_headers: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_origins: Vec<String>,
    pub expose_headers: Option<Vec<String>>,
    pub max_age: Option<u32>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stage {
    pub api_id: Expr,
    pub stage_name: String,
    pub auto_deploy: bool,
    pub description: Option<String>,
    pub default_route_settings: Option<RouteSettings>,
    pub access_log_settings: Option<AccessLogSettings>,
}

impl ResourceProperties for Stage {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Stage";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteSettings {
    pub detailed_metrics_enabled: Option<bool>,
    pub throttling_burst_limit: Option<u32>,
    pub throttling_rate_limit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessLogSettings {
    pub destination_arn: Expr,
    pub format: String,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorizer {
    pub api_id: Expr,
    pub name: String,
    pub authorizer_type: String,
    pub identity_source: Vec<String>,
    pub jwt_configuration: Option<JwtConfiguration>,
    pub authorizer_uri: Option<Expr>,
    pub authorizer_payload_format_version: Option<String>,
    pub authorizer_result_ttl_in_seconds: Option<u32>,
    pub enable_simple_responses: Option<bool>,
}

impl ResourceProperties for Authorizer {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Authorizer";
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct JwtConfiguration {
    pub audience: Vec<Expr>,
    pub issuer: Expr,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Integration {
    pub api_id: Expr,
    pub integration_type: String,
    pub integration_uri: Expr,
    pub payload_format_version: String,
    pub timeout_in_millis: Option<u32>,
}

impl ResourceProperties for Integration {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Integration";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    pub api_id: Expr,
    pub route_key: String,
    pub target: Expr,
    pub authorization_type: String,
    pub authorizer_id: Option<Expr>,
    pub operation_name: Option<String>,
}

impl ResourceProperties for Route {
    const TYPE: &'static str = "AWS::ApiGatewayV2::Route";
}
