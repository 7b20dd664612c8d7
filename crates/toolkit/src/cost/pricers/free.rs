//! Types AWS does not charge for by themselves (their traffic is priced on the resource
//! that carries it: a route's requests on its API, a role on nothing).

/// Type → why it costs nothing.
pub const NO_CHARGE_TYPES: &[(&str, &str)] = &[
    ("AWS::ApiGatewayV2::ApiMapping", "configuration of an API"),
    ("AWS::ApiGatewayV2::Authorizer", "configuration of an API (JWT checks are free; a Lambda authorizer is priced as its function)"),
    ("AWS::ApiGatewayV2::Deployment", "configuration of an API"),
    ("AWS::ApiGatewayV2::DomainName", "custom domain names of HTTP APIs are free (requests are priced on the API)"),
    ("AWS::ApiGatewayV2::Integration", "configuration of an API (requests are priced on the API)"),
    ("AWS::ApiGatewayV2::Route", "configuration of an API (requests are priced on the API)"),
    ("AWS::ApiGatewayV2::Stage", "configuration of an API (requests are priced on the API)"),
    ("AWS::Budgets::Budget", "budgets that only notify are free (Price List: $0.00 per budget-day)"),
    ("AWS::CertificateManager::Certificate", "public ACM certificates are free"),
    ("AWS::CloudFront::CachePolicy", "configuration of a distribution"),
    ("AWS::CloudFront::OriginAccessControl", "configuration of a distribution"),
    ("AWS::CloudFront::OriginRequestPolicy", "configuration of a distribution"),
    ("AWS::CloudFront::ResponseHeadersPolicy", "configuration of a distribution"),
    ("AWS::CloudTrail::Trail", "the first trail's copy of management events is free (data events and a second copy are not)"),
    ("AWS::Cognito::UserPoolClient", "configuration of a user pool (users are priced on the pool)"),
    ("AWS::Cognito::UserPoolDomain", "configuration of a user pool (the Cognito prefix domain is free)"),
    ("AWS::Cognito::UserPoolGroup", "configuration of a user pool"),
    ("AWS::EC2::InternetGateway", "no hourly charge (data transfer out is priced per GB)"),
    ("AWS::EC2::Route", "configuration of a VPC"),
    ("AWS::EC2::RouteTable", "configuration of a VPC"),
    ("AWS::EC2::SecurityGroup", "configuration of a VPC"),
    ("AWS::EC2::SecurityGroupEgress", "configuration of a VPC"),
    ("AWS::EC2::SecurityGroupIngress", "configuration of a VPC"),
    ("AWS::EC2::Subnet", "configuration of a VPC"),
    ("AWS::EC2::SubnetRouteTableAssociation", "configuration of a VPC"),
    ("AWS::EC2::VPC", "VPCs are free (NAT gateways, endpoints and public IPv4 addresses are not)"),
    ("AWS::EC2::VPCGatewayAttachment", "configuration of a VPC"),
    ("AWS::IAM::InstanceProfile", "IAM is free"),
    ("AWS::IAM::ManagedPolicy", "IAM is free"),
    ("AWS::IAM::Policy", "IAM is free"),
    ("AWS::IAM::Role", "IAM is free"),
    ("AWS::KMS::Alias", "aliases are free (the key is priced)"),
    ("AWS::Lambda::EventInvokeConfig", "configuration of a function"),
    ("AWS::Lambda::EventSourceMapping", "configuration of a function (invocations are priced on it)"),
    ("AWS::Lambda::Permission", "configuration of a function"),
    ("AWS::RDS::DBParameterGroup", "configuration of a database"),
    ("AWS::RDS::DBSubnetGroup", "configuration of a database"),
    ("AWS::Route53::RecordSet", "alias records to AWS resources are free to query (the hosted zone, $0.50 a month, is the team's own)"),
    ("AWS::S3::BucketPolicy", "configuration of a bucket"),
    ("AWS::SNS::Subscription", "deliveries are priced on the topic"),
    ("AWS::SNS::TopicPolicy", "configuration of a topic"),
    ("AWS::SQS::QueuePolicy", "configuration of a queue"),
    ("AWS::Scheduler::ScheduleGroup", "groups are free (invocations are priced on the schedule)"),
];

pub fn reason(resource_type: &str) -> Option<&'static str> {
    NO_CHARGE_TYPES
        .iter()
        .find(|(t, _)| *t == resource_type)
        .map(|(_, r)| *r)
}
