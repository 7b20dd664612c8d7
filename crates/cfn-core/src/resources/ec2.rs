//! EC2 networking: VPC, subnets, security groups and their rules, VPC endpoints.
use serde::Serialize;
use serde_with::skip_serializing_none;

use super::Tag;
use crate::{Expr, ResourceProperties};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    pub cidr_block: String,
    pub enable_dns_hostnames: bool,
    pub enable_dns_support: bool,
    pub tags: Option<Vec<Tag>>,
}

impl ResourceProperties for Vpc {
    const TYPE: &'static str = "AWS::EC2::VPC";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    pub vpc_id: Expr,
    pub cidr_block: String,
    pub availability_zone: Expr,
    pub map_public_ip_on_launch: bool,
    pub tags: Option<Vec<Tag>>,
}

impl ResourceProperties for Subnet {
    const TYPE: &'static str = "AWS::EC2::Subnet";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub group_description: String,
    pub vpc_id: Expr,
    pub security_group_egress: Option<Vec<EgressRule>>,
    pub tags: Option<Vec<Tag>>,
}

impl ResourceProperties for SecurityGroup {
    const TYPE: &'static str = "AWS::EC2::SecurityGroup";
}

/// An inline egress rule (used only to replace the default allow-all rule).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EgressRule {
    pub ip_protocol: String,
    pub from_port: i32,
    pub to_port: i32,
    pub cidr_ip: Option<String>,
    pub description: Option<String>,
}

/// A standalone ingress rule: separate resources let two groups refer to each other
/// without a dependency cycle.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupIngress {
    pub group_id: Expr,
    pub ip_protocol: String,
    pub from_port: u32,
    pub to_port: u32,
    pub source_security_group_id: Option<Expr>,
    pub description: Option<String>,
}

impl ResourceProperties for SecurityGroupIngress {
    const TYPE: &'static str = "AWS::EC2::SecurityGroupIngress";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupEgress {
    pub group_id: Expr,
    pub ip_protocol: String,
    pub from_port: u32,
    pub to_port: u32,
    pub destination_security_group_id: Option<Expr>,
    pub description: Option<String>,
}

impl ResourceProperties for SecurityGroupEgress {
    const TYPE: &'static str = "AWS::EC2::SecurityGroupEgress";
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    pub vpc_id: Expr,
    pub service_name: Expr,
    pub vpc_endpoint_type: String,
    pub private_dns_enabled: Option<bool>,
    pub subnet_ids: Option<Vec<Expr>>,
    pub security_group_ids: Option<Vec<Expr>>,
}

impl ResourceProperties for VpcEndpoint {
    const TYPE: &'static str = "AWS::EC2::VPCEndpoint";
}
