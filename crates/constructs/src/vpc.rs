//! A VPC with private subnets only (no internet gateway, no NAT): what a Lambda needs to
//! reach a database that must never be reachable from outside. Security groups start
//! with no egress at all; `allow` opens one port from one group to another, and an
//! interface endpoint lets private functions reach one AWS API (e.g. Secrets Manager).
use super::function::{Function, FunctionRef};
use super::grant::Grantable;
use super::stack::Stack;
use cfn_core::iam::{actions, Statement};
use cfn_core::resources::{ec2, lambda};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: LogicalId,
    /// A /16, e.g. `10.20.0.0/16`; subnets take its first /20s.
    cidr: String,
    availability_zones: u32,
}

/// The rendered network, as other constructs use it.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcRef {
    pub vpc_id: Expr,
    pub subnet_ids: Vec<Expr>,
}

impl Vpc {
    pub fn new(id: &str, cidr: &str) -> Vpc {
        assert!(cidr.ends_with(".0.0/16"), "VPC CIDR {cidr} must be a /16");
        Vpc {
            id: LogicalId::from_path(&[id, "vpc"]),
            cidr: cidr.to_string(),
            availability_zones: 2,
        }
    }

    pub fn add_to(self, stack: &mut Stack) -> VpcRef {
        let name = stack.stage.physical_name("vpc");
        stack.add(
            self.id.clone(),
            &ec2::Vpc {
                cidr_block: self.cidr.clone(),
                // Private DNS of interface endpoints needs both.
                enable_dns_hostnames: true,
                enable_dns_support: true,
                tags: Some(vec![name_tag(&name)]),
            },
        );
        let vpc_id = Expr::reference(&self.id);
        let prefix: Vec<&str> = self.cidr.split('.').take(2).collect();
        let subnet_ids = (0..self.availability_zones)
            .map(|index| {
                let id = self.id.child(&format!("Private{}Subnet", index + 1));
                stack.add(
                    id.clone(),
                    &ec2::Subnet {
                        vpc_id: vpc_id.clone(),
                        cidr_block: format!("{}.{}.{}.0/20", prefix[0], prefix[1], index * 16),
                        availability_zone: availability_zone(index),
                        map_public_ip_on_launch: false,
                        tags: Some(vec![name_tag(&format!("{name}-private-{}", index + 1))]),
                    },
                );
                Expr::reference(&id)
            })
            .collect();
        VpcRef { vpc_id, subnet_ids }
    }
}

/// `Fn::Select [index, Fn::GetAZs ""]`: the region's AZs, never hard-coded.
fn availability_zone(index: u32) -> Expr {
    Expr::map([(
        "Fn::Select",
        Expr::List(vec![
            Expr::from(index),
            Expr::map([("Fn::GetAZs", Expr::from(""))]),
        ]),
    )])
}

fn name_tag(name: &str) -> cfn_core::resources::Tag {
    cfn_core::resources::Tag {
        key: "Name".into(),
        value: Expr::from(name),
    }
}

impl VpcRef {
    /// A security group with no rules: nothing in, nothing out (EC2's default allow-all
    /// egress is replaced by a rule that matches no traffic).
    pub fn security_group(&self, stack: &mut Stack, id: &str, description: &str) -> LogicalId {
        let group = LogicalId::from_path(&[id, "security", "group"]);
        stack.add(
            group.clone(),
            &ec2::SecurityGroup {
                group_description: description.to_string(),
                vpc_id: self.vpc_id.clone(),
                security_group_egress: Some(vec![ec2::EgressRule {
                    ip_protocol: "icmp".into(),
                    from_port: 252,
                    to_port: 86,
                    cidr_ip: Some("255.255.255.255/32".into()),
                    description: Some("Disallow all traffic".into()),
                }]),
                tags: None,
            },
        );
        group
    }

    /// Opens TCP `port` from group `from` to group `to` (egress on one, ingress on the
    /// other): separate rule resources, so the two groups never form a cycle.
    pub fn allow(stack: &mut Stack, from: &LogicalId, to: &LogicalId, port: u32, why: &str) {
        stack.add(
            from.child(&format!("To{to}{port}Egress")),
            &ec2::SecurityGroupEgress {
                group_id: Expr::get_att(from, "GroupId"),
                ip_protocol: "tcp".into(),
                from_port: port,
                to_port: port,
                destination_security_group_id: Some(Expr::get_att(to, "GroupId")),
                description: Some(why.to_string()),
            },
        );
        stack.add(
            to.child(&format!("From{from}{port}Ingress")),
            &ec2::SecurityGroupIngress {
                group_id: Expr::get_att(to, "GroupId"),
                ip_protocol: "tcp".into(),
                from_port: port,
                to_port: port,
                source_security_group_id: Some(Expr::get_att(from, "GroupId")),
                description: Some(why.to_string()),
            },
        );
    }

    /// An interface endpoint for `service` (e.g. `secretsmanager`) reachable over HTTPS
    /// from `clients` only, with private DNS so SDKs use it unchanged.
    pub fn interface_endpoint(&self, stack: &mut Stack, service: &str, clients: &LogicalId) {
        let id = LogicalId::from_path(&[service, "endpoint"]);
        let group = self.security_group(
            stack,
            &format!("{service}-endpoint"),
            &format!("{service} endpoint: HTTPS from the functions only"),
        );
        VpcRef::allow(
            stack,
            clients,
            &group,
            443,
            &format!("{service} API over TLS"),
        );
        stack.add(
            id,
            &ec2::VpcEndpoint {
                vpc_id: self.vpc_id.clone(),
                service_name: Expr::sub(format!("com.amazonaws.${{AWS::Region}}.{service}")),
                vpc_endpoint_type: "Interface".into(),
                private_dns_enabled: Some(true),
                subnet_ids: Some(self.subnet_ids.clone()),
                security_group_ids: Some(vec![Expr::get_att(&group, "GroupId")]),
            },
        );
    }

    /// Places `function` in the private subnets behind `group`, grants the network
    /// interface permissions Lambda uses on the function's behalf, renders it, and
    /// records why its role must name `*` for two read-only EC2 calls.
    pub fn add_function(
        &self,
        stack: &mut Stack,
        function: Function,
        group: &LogicalId,
    ) -> FunctionRef {
        let mut function = function.in_vpc(lambda::VpcConfig {
            subnet_ids: self.subnet_ids.clone(),
            security_group_ids: vec![Expr::get_att(group, "GroupId")],
        });
        let interfaces = regional_ec2_arn("network-interface/*");
        let mut create_on = vec![interfaces.clone()];
        let group_id = Expr::get_att(group, "GroupId");
        create_on.push(regional_ec2_arn(&format!(
            "security-group/{}",
            sub_variable(&group_id)
        )));
        for subnet in &self.subnet_ids {
            create_on.push(regional_ec2_arn(&format!(
                "subnet/{}",
                sub_variable(subnet)
            )));
        }
        function.grant(Statement::allow(
            &[actions::ec2::CREATE_NETWORK_INTERFACE],
            create_on,
        ));
        function.grant(Statement::allow(
            &[
                actions::ec2::DELETE_NETWORK_INTERFACE,
                actions::ec2::ASSIGN_PRIVATE_IP_ADDRESSES,
                actions::ec2::UNASSIGN_PRIVATE_IP_ADDRESSES,
            ],
            vec![interfaces],
        ));
        function.grant(Statement::allow(
            &[
                actions::ec2::DESCRIBE_NETWORK_INTERFACES,
                actions::ec2::DESCRIBE_SUBNETS,
            ],
            vec![Expr::from("*")],
        ));
        let role = function.role_id().clone();
        let function = function.add_to(stack);
        stack.suppress(
            &role,
            "IAM_NO_WILDCARD",
            "ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level \
             permissions, so IAM requires Resource \"*\"; both are read-only. Every other \
             statement of this role names its resources.",
        );
        function
    }
}

fn regional_ec2_arn(resource: &str) -> Expr {
    Expr::sub(format!(
        "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:{resource}"
    ))
}

/// `Ref`/`GetAtt` as a `Fn::Sub` variable: one plain string per ARN keeps templates and
/// the permission report readable.
fn sub_variable(expr: &Expr) -> String {
    match expr {
        Expr::Ref(id) => format!("${{{id}}}"),
        Expr::GetAtt(id, attribute) => format!("${{{id}.{attribute}}}"),
        other => panic!("{other:?} cannot be named inside Fn::Sub"),
    }
}
