//! A VPC with private subnets only (no internet gateway, no NAT): what a Lambda needs to
//! reach a database that must never be reachable from outside. Security groups start
//! with no egress at all; `allow` opens one port from one group to another, and an
//! interface endpoint lets private functions reach one AWS API (e.g. Secrets Manager).
use super::function::{Function, FunctionRef};
use super::grant::Grantable;
use super::stack::Stack;
use cfn::ec2::security_group::Egress;
use cfn::ec2::vpc_endpoint::VpcEndpointType;
use cfn::ec2::{
    SecurityGroup, SecurityGroupEgress, SecurityGroupIngress, Subnet, VPCEndpoint, VPC,
};
use cfn::lambda::function::VpcConfig;
use cfn_core::iam::{actions, Statement};
use cfn_core::{Expr, LogicalId};

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: LogicalId,
    /// The first two octets of the /16: `[10, 20]` is `10.20.0.0/16`. Subnets take its
    /// first /20s. Two octets cannot spell anything but a /16.
    network: [u8; 2],
    availability_zones: u8,
}

/// The rendered network, as other constructs use it.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcRef {
    pub vpc_id: Expr,
    /// The private subnets' logical IDs: ARNs name them as `Fn::Sub` variables.
    subnets: Vec<LogicalId>,
}

impl Vpc {
    /// A VPC on `a.b.0.0/16` for `network = [a, b]`.
    pub fn new(id: &str, network: [u8; 2]) -> Vpc {
        Vpc {
            id: LogicalId::from_path(&[id, "vpc"]),
            network,
            availability_zones: 2,
        }
    }

    fn cidr(&self, third_octet: u8, prefix_length: u8) -> String {
        let [a, b] = self.network;
        format!("{a}.{b}.{third_octet}.0/{prefix_length}")
    }

    pub fn add_to(self, stack: &mut Stack) -> VpcRef {
        let name = stack.stage.physical_name("vpc");
        stack.add(
            self.id.clone(),
            &VPC {
                cidr_block: Some(self.cidr(0, 16).into()),
                // Private DNS of interface endpoints needs both.
                enable_dns_hostnames: Some(true.into()),
                enable_dns_support: Some(true.into()),
                tags: Some(vec![cfn::ec2::vpc::Tag::new("Name", name.as_str())]),
                ..VPC::new()
            },
        );
        let vpc_id = Expr::reference(&self.id);
        let subnets = (0..self.availability_zones)
            .map(|index| {
                let id = self.id.child(&format!("Private{}Subnet", index + 1));
                stack.add(
                    id.clone(),
                    &Subnet {
                        cidr_block: Some(self.cidr(index * 16, 20).into()),
                        availability_zone: Some(availability_zone(index).into()),
                        map_public_ip_on_launch: Some(false.into()),
                        tags: Some(vec![cfn::ec2::subnet::Tag::new(
                            "Name",
                            format!("{name}-private-{}", index + 1),
                        )]),
                        ..Subnet::new(&vpc_id)
                    },
                );
                id
            })
            .collect();
        VpcRef { vpc_id, subnets }
    }
}

/// `Fn::Select [index, Fn::GetAZs ""]`: the region's AZs, never hard-coded.
fn availability_zone(index: u8) -> Expr {
    Expr::map([(
        "Fn::Select",
        Expr::List(vec![
            Expr::from(u32::from(index)),
            Expr::map([("Fn::GetAZs", Expr::from(""))]),
        ]),
    )])
}

impl VpcRef {
    /// `Ref` of each private subnet.
    pub fn subnet_ids(&self) -> Vec<Expr> {
        self.subnets.iter().map(Expr::reference).collect()
    }

    /// A security group with no rules: nothing in, nothing out (EC2's default allow-all
    /// egress is replaced by a rule that matches no traffic).
    pub fn security_group(&self, stack: &mut Stack, id: &str, description: &str) -> LogicalId {
        let group = LogicalId::from_path(&[id, "security", "group"]);
        stack.add(
            group.clone(),
            &SecurityGroup {
                vpc_id: Some(self.vpc_id.clone().into()),
                security_group_egress: Some(vec![Egress {
                    from_port: Some(252.into()),
                    to_port: Some(86.into()),
                    cidr_ip: Some("255.255.255.255/32".into()),
                    description: Some("Disallow all traffic".into()),
                    ..Egress::new("icmp")
                }]),
                ..SecurityGroup::new(description)
            },
        );
        group
    }

    /// Opens TCP `port` from group `from` to group `to` (egress on one, ingress on the
    /// other): separate rule resources, so the two groups never form a cycle.
    pub fn allow(stack: &mut Stack, from: &LogicalId, to: &LogicalId, port: u32, why: &str) {
        stack.add(
            from.child(&format!("To{to}{port}Egress")),
            &SecurityGroupEgress {
                from_port: Some(port.into()),
                to_port: Some(port.into()),
                destination_security_group_id: Some(SecurityGroup::att_group_id(to).into()),
                description: Some(why.into()),
                ..SecurityGroupEgress::new(SecurityGroup::att_group_id(from), "tcp")
            },
        );
        stack.add(
            to.child(&format!("From{from}{port}Ingress")),
            &SecurityGroupIngress {
                group_id: Some(SecurityGroup::att_group_id(to).into()),
                from_port: Some(port.into()),
                to_port: Some(port.into()),
                source_security_group_id: Some(SecurityGroup::att_group_id(from).into()),
                description: Some(why.into()),
                ..SecurityGroupIngress::new("tcp")
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
            &VPCEndpoint {
                service_name: Some(
                    Expr::sub(format!("com.amazonaws.${{AWS::Region}}.{service}")).into(),
                ),
                vpc_endpoint_type: Some(VpcEndpointType::Interface.into()),
                private_dns_enabled: Some(true.into()),
                subnet_ids: Some(self.subnet_ids().into_iter().map(Into::into).collect()),
                security_group_ids: Some(vec![SecurityGroup::att_group_id(&group).into()]),
                ..VPCEndpoint::new(&self.vpc_id)
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
        let mut function = function.in_vpc(VpcConfig {
            subnet_ids: Some(self.subnet_ids().into_iter().map(Into::into).collect()),
            security_group_ids: Some(vec![SecurityGroup::att_group_id(group).into()]),
            ..VpcConfig::new()
        });
        let interfaces = regional_ec2_arn("network-interface/*");
        let mut create_on = vec![interfaces.clone()];
        // `${Id}`/`${Id.GroupId}` inside one Fn::Sub keep each ARN one plain string,
        // readable in the template and the permission report.
        create_on.push(regional_ec2_arn(&format!(
            "security-group/${{{group}.GroupId}}"
        )));
        for subnet in &self.subnets {
            create_on.push(regional_ec2_arn(&format!("subnet/${{{subnet}}}")));
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
