//! CloudFront: distributions, origin access control, cache and response-headers policies.
use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::{Expr, ResourceProperties};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Distribution {
    pub distribution_config: DistributionConfig,
}

impl ResourceProperties for Distribution {
    const TYPE: &'static str = "AWS::CloudFront::Distribution";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DistributionConfig {
    pub comment: Option<String>,
    pub enabled: bool,
    pub default_root_object: Option<String>,
    pub price_class: Option<String>,
    pub http_version: Option<String>,
    #[serde(rename = "IPV6Enabled")]
    pub ipv6_enabled: Option<bool>,
    pub origins: Vec<Origin>,
    pub default_cache_behavior: CacheBehavior,
    pub cache_behaviors: Option<Vec<CacheBehavior>>,
    pub custom_error_responses: Option<Vec<CustomErrorResponse>>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Origin {
    pub id: String,
    pub domain_name: Expr,
    pub origin_access_control_id: Option<Expr>,
    pub s3_origin_config: Option<S3OriginConfig>,
}

/// With origin access control the identity stays empty: CloudFront signs requests itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct S3OriginConfig {
    pub origin_access_identity: String,
}

/// The default behaviour omits `PathPattern`; ordered behaviours set it.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheBehavior {
    pub path_pattern: Option<String>,
    pub target_origin_id: String,
    pub viewer_protocol_policy: String,
    pub allowed_methods: Vec<String>,
    pub cached_methods: Vec<String>,
    pub compress: bool,
    pub cache_policy_id: Expr,
    pub response_headers_policy_id: Option<Expr>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomErrorResponse {
    pub error_code: u32,
    pub response_code: Option<u32>,
    pub response_page_path: Option<String>,
    #[serde(rename = "ErrorCachingMinTTL")]
    pub error_caching_min_ttl: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginAccessControl {
    pub origin_access_control_config: OriginAccessControlConfig,
}

impl ResourceProperties for OriginAccessControl {
    const TYPE: &'static str = "AWS::CloudFront::OriginAccessControl";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OriginAccessControlConfig {
    pub name: Expr,
    pub description: Option<String>,
    pub origin_access_control_origin_type: String,
    pub signing_behavior: String,
    pub signing_protocol: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicy {
    pub cache_policy_config: CachePolicyConfig,
}

impl ResourceProperties for CachePolicy {
    const TYPE: &'static str = "AWS::CloudFront::CachePolicy";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CachePolicyConfig {
    pub name: Expr,
    pub comment: Option<String>,
    #[serde(rename = "DefaultTTL")]
    pub default_ttl: u32,
    #[serde(rename = "MaxTTL")]
    pub max_ttl: u32,
    #[serde(rename = "MinTTL")]
    pub min_ttl: u32,
    pub parameters_in_cache_key_and_forwarded_to_origin: CacheKeyParameters,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CacheKeyParameters {
    pub enable_accept_encoding_gzip: bool,
    pub enable_accept_encoding_brotli: bool,
    pub cookies_config: CookieBehavior,
    pub headers_config: HeaderBehavior,
    pub query_strings_config: QueryStringBehavior,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CookieBehavior {
    pub cookie_behavior: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HeaderBehavior {
    pub header_behavior: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueryStringBehavior {
    pub query_string_behavior: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseHeadersPolicy {
    pub response_headers_policy_config: ResponseHeadersPolicyConfig,
}

impl ResourceProperties for ResponseHeadersPolicy {
    const TYPE: &'static str = "AWS::CloudFront::ResponseHeadersPolicy";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseHeadersPolicyConfig {
    pub name: Expr,
    pub comment: Option<String>,
    pub custom_headers_config: Option<CustomHeadersConfig>,
    pub security_headers_config: Option<SecurityHeadersConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomHeadersConfig {
    pub items: Vec<CustomHeader>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomHeader {
    pub header: String,
    pub value: String,
    #[serde(rename = "Override")]
    pub override_: bool,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityHeadersConfig {
    pub strict_transport_security: Option<StrictTransportSecurity>,
    pub content_type_options: Option<OverrideOnly>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StrictTransportSecurity {
    pub access_control_max_age_sec: u32,
    pub include_subdomains: bool,
    pub preload: bool,
    #[serde(rename = "Override")]
    pub override_: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverrideOnly {
    #[serde(rename = "Override")]
    pub override_: bool,
}
