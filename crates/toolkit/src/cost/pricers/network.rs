//! API Gateway, CloudFront and the VPC's hourly parts (NAT gateways, interface
//! endpoints, public IPv4 addresses).
use super::priced;
use crate::cost::context::Context;
use crate::cost::format::count;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::TemplateResource;

pub fn api(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let u = ctx.usage;
    if r.string(&["ProtocolType"]).as_deref() == Some("WEBSOCKET") {
        let (messages, m_basis) = ctx.share(u.websocket_messages, "messages", "WebSocket APIs");
        let (minutes, c_basis) = ctx.share(
            u.websocket_connection_minutes,
            "connection minutes",
            "WebSocket APIs",
        );
        return priced(vec![
            Line::new(
                "messages",
                messages,
                p.get("apigateway.websocket.messages"),
                m_basis,
            ),
            Line::new(
                "connection minutes",
                minutes,
                p.get("apigateway.websocket.connection_minutes"),
                c_basis,
            ),
        ]);
    }
    let (requests, basis) = ctx.share(u.api_requests, "requests", "HTTP APIs");
    priced(vec![Line::new(
        "requests",
        requests,
        p.get("apigateway.http.requests"),
        basis,
    )])
}

pub fn distribution(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let cdn = ctx.usage.cdn;
    let (gb, gb_basis) = ctx.share(cdn.gb_out, "GB", "distributions");
    let (requests, r_basis) = ctx.share(cdn.requests, "requests", "distributions");
    let class = r
        .string(&["DistributionConfig", "PriceClass"])
        .unwrap_or_else(|| "PriceClass_All".into());
    let region_note = if class == "PriceClass_100" {
        String::new()
    } else {
        format!(
            "; {class} also serves regions that cost more: priced at the North America/Europe rate"
        )
    };
    priced(vec![
        Line::new(
            "data out",
            gb,
            p.get("cloudfront.data_out"),
            format!("{gb_basis}{region_note}"),
        ),
        Line::new(
            "HTTPS requests",
            requests,
            p.get("cloudfront.requests"),
            r_basis,
        ),
    ])
}

pub fn nat_gateway(ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let (gb, basis) = ctx.share(ctx.usage.private_network_gb, "GB", "private network paths");
    priced(vec![
        Line::new(
            "hours",
            p.hours_per_month,
            p.get("vpc.nat_gateway.hours"),
            format!("fixed: {} hours a month", count(p.hours_per_month)),
        ),
        Line::new("data processed", gb, p.get("vpc.nat_gateway.data"), basis),
    ])
}

pub fn public_ip(ctx: &Context) -> Pricing {
    let p = ctx.prices;
    priced(vec![Line::new(
        "public IPv4 address",
        p.hours_per_month,
        p.get("vpc.public_ipv4.hours"),
        format!("fixed: {} hours a month", count(p.hours_per_month)),
    )])
}

/// Interface endpoints: an ENI per subnet, by the hour, plus data. Gateway endpoints
/// (S3, DynamoDB) are free.
pub fn vpc_endpoint(r: &TemplateResource, ctx: &Context) -> Pricing {
    if r.string(&["VpcEndpointType"]).as_deref() != Some("Interface") {
        return Pricing::NoCharge {
            reason: "gateway endpoints (S3, DynamoDB) are free".into(),
        };
    }
    let Some(zones) = r
        .prop(&["SubnetIds"])
        .and_then(|s| s.as_array())
        .map(Vec::len)
    else {
        return Pricing::NotPriced {
            reason: "interface endpoint whose subnets are not a list in the template".into(),
        };
    };
    let p = ctx.prices;
    let (gb, basis) = ctx.share(ctx.usage.private_network_gb, "GB", "private network paths");
    priced(vec![
        Line::new(
            &format!("hours ({zones} Availability Zones)"),
            p.hours_per_month * zones as f64,
            p.get("vpc.interface_endpoint.hours"),
            format!(
                "fixed: {zones} subnets in the template × {} hours",
                count(p.hours_per_month)
            ),
        ),
        Line::new(
            "data processed",
            gb,
            p.get("vpc.interface_endpoint.data"),
            basis,
        ),
    ])
}
