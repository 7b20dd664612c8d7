//! A CloudFront distribution in front of private S3 buckets: origin access control (the
//! buckets stay private, only this distribution may read them), HTTPS only, compression,
//! and either SPA routing or long-lived immutable caching per origin.
use super::bucket::Bucket;
use super::stack::Stack;
use cfn::cloudfront::cache_policy as cp;
use cfn::cloudfront::distribution::{self as cf, HttpVersion, PriceClass, ViewerProtocolPolicy};
use cfn::cloudfront::origin_access_control as oac;
use cfn::cloudfront::response_headers_policy as rhp;
use cfn_core::iam::{actions, Principal, Statement};
use cfn_core::{Expr, LogicalId, Val};

/// AWS-managed policies, referenced by their fixed IDs.
const MANAGED_CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const MANAGED_SECURITY_HEADERS: &str = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/// A path served from its own bucket with long-lived immutable caching.
#[derive(Debug, Clone)]
struct ImmutableOrigin {
    path_pattern: String,
    bucket: Bucket,
    max_age_seconds: u32,
}

/// A distribution and the buckets it serves. It owns them (and renders them), so every
/// origin bucket carries this distribution's read grant, and the site bucket, the default
/// behaviour, cannot be left out: it is an argument of [`Distribution::new`].
#[derive(Debug, Clone)]
pub struct Distribution {
    pub id: LogicalId,
    name: String,
    comment: String,
    price_class: PriceClass,
    site: Bucket,
    immutable: Vec<ImmutableOrigin>,
}

/// The rendered distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionRef {
    pub id: LogicalId,
    /// `dxxxx.cloudfront.net`
    pub domain_name: Expr,
}

impl Distribution {
    /// A distribution whose default behaviour is a single-page app in `site`: `/` serves
    /// `index.html`, and a path the bucket does not have (404) serves `/index.html` too,
    /// so client-side routes load. CloudFront may also list the bucket: without
    /// `s3:ListBucket` S3 answers a missing key with 403, which must not be rewritten (it
    /// would hide real denials).
    pub fn new(stack: &Stack, id: &str, comment: &str, site: Bucket) -> Distribution {
        let name = stack.stage.physical_name(id);
        let id = LogicalId::from_path(&[id, "distribution"]);
        let list = Statement::allow(&[actions::s3::LIST_BUCKET], vec![site.arn()]);
        let site = site.policy_statement(reader_statement(&id, list, "AllowCloudFrontList"));
        Distribution {
            site: allow_read(&id, site),
            name,
            id,
            comment: comment.to_string(),
            // North America and Europe only: the cheapest class.
            price_class: PriceClass::PriceClass100,
            immutable: Vec::new(),
        }
    }

    /// An ordered behaviour for `path_pattern` (e.g. `/images/*`) served from `bucket`,
    /// cached for `max_age_seconds` and served with `Cache-Control: immutable`: objects
    /// are written once under versioned names, so browsers and edges never revalidate.
    pub fn immutable_origin(
        mut self,
        path_pattern: &str,
        bucket: Bucket,
        max_age_seconds: u32,
    ) -> Distribution {
        self.immutable.push(ImmutableOrigin {
            path_pattern: path_pattern.to_string(),
            bucket: allow_read(&self.id, bucket),
            max_age_seconds,
        });
        self
    }

    pub fn arn(&self) -> Expr {
        distribution_arn(&self.id)
    }

    /// Renders the distribution, its policies and its origin buckets.
    pub fn add_to(self, stack: &mut Stack) -> DistributionRef {
        let oac = self.id.child("OriginAccessControl");
        stack.add(
            oac.clone(),
            &oac::OriginAccessControl::new(oac::OriginAccessControlConfig {
                description: Some(format!("{}: signed requests to S3", self.name).into()),
                ..oac::OriginAccessControlConfig::new(self.name.as_str(), "s3", "always", "sigv4")
            }),
        );
        let mut origins = vec![origin(&self.site, &oac)];
        let mut behaviors = Vec::new();
        for immutable in &self.immutable {
            origins.push(origin(&immutable.bucket, &oac));
            let (cache, headers) = self.immutable_policies(stack, immutable);
            behaviors.push(ordered_behavior(immutable, cache, headers));
        }
        let default_behavior = default_behavior(
            &self.site,
            Expr::from(MANAGED_CACHING_OPTIMIZED),
            Expr::from(MANAGED_SECURITY_HEADERS),
        );
        let spa_fallback = cf::CustomErrorResponse {
            response_code: Some(200.into()),
            response_page_path: Some("/index.html".into()),
            error_caching_min_ttl: Some(whole_seconds(10)),
            ..cf::CustomErrorResponse::new(404)
        };
        stack.add(
            self.id.clone(),
            &cf::Distribution::new(cf::DistributionConfig {
                comment: Some(self.comment.as_str().into()),
                default_root_object: Some("index.html".into()),
                price_class: Some(self.price_class.into()),
                http_version: Some(HttpVersion::Http2and3.into()),
                ipv6_enabled: Some(true.into()),
                origins: Some(origins),
                cache_behaviors: (!behaviors.is_empty()).then_some(behaviors),
                custom_error_responses: Some(vec![spa_fallback]),
                ..cf::DistributionConfig::new(default_behavior, true)
            }),
        );
        for (rule, reason) in [
            (
                "CKV_AWS_174",
                "served on its cloudfront.net name with CloudFront's default certificate, \
                 whose minimum TLS version CloudFront sets; a custom domain with an ACM \
                 certificate would take TLSv1.2_2021",
            ),
            (
                "CKV_AWS_68",
                "public static files (a frontend and images) behind origin access control, \
                 no forms or sign-in on this origin; a WAF web ACL costs a monthly fee plus \
                 per request for nothing to inspect",
            ),
            (
                "CKV_AWS_86",
                "standard logging writes through bucket ACLs, which every bucket here \
                 disables (owner enforced); CloudFront's request metrics in CloudWatch cover \
                 traffic",
            ),
        ] {
            stack.suppress(&self.id, rule, reason);
        }
        self.site.add_to(stack);
        for immutable in self.immutable {
            immutable.bucket.add_to(stack);
        }
        DistributionRef {
            domain_name: cf::Distribution::att_domain_name(&self.id),
            id: self.id,
        }
    }

    /// A cache policy holding objects for `max_age` and a response-headers policy that
    /// tells browsers the same, marked immutable, plus HSTS.
    fn immutable_policies(&self, stack: &mut Stack, origin: &ImmutableOrigin) -> (Expr, Expr) {
        let (pattern, max_age) = (&origin.path_pattern, origin.max_age_seconds);
        let slug: String = pattern
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let name = format!("{}-{slug}", self.name);
        let cache = self.id.child(&format!("{slug}CachePolicy"));
        let nothing_varies = cp::ParametersInCacheKeyAndForwardedToOrigin {
            enable_accept_encoding_brotli: Some(true.into()),
            ..cp::ParametersInCacheKeyAndForwardedToOrigin::new(
                cp::CookiesConfig::new("none"),
                true,
                cp::HeadersConfig::new("none"),
                cp::QueryStringsConfig::new("none"),
            )
        };
        stack.add(
            cache.clone(),
            &cp::CachePolicy::new(cp::CachePolicyConfig {
                comment: Some(format!("{pattern}: versioned names, cached {max_age} s").into()),
                ..cp::CachePolicyConfig::new(
                    whole_seconds(max_age),
                    whole_seconds(max_age),
                    whole_seconds(0),
                    name.as_str(),
                    nothing_varies,
                )
            }),
        );
        let headers = self.id.child(&format!("{slug}HeadersPolicy"));
        let cache_control = rhp::CustomHeader::new(
            "Cache-Control",
            true,
            format!("public, max-age={max_age}, immutable"),
        );
        let hsts = rhp::StrictTransportSecurity {
            include_subdomains: Some(true.into()),
            preload: Some(false.into()),
            ..rhp::StrictTransportSecurity::new(31_536_000, true)
        };
        stack.add(
            headers.clone(),
            &rhp::ResponseHeadersPolicy::new(rhp::ResponseHeadersPolicyConfig {
                comment: Some(format!("{pattern}: immutable cache headers").into()),
                custom_headers_config: Some(rhp::CustomHeadersConfig::new(vec![cache_control])),
                security_headers_config: Some(rhp::SecurityHeadersConfig {
                    strict_transport_security: Some(hsts),
                    content_type_options: Some(rhp::ContentTypeOptions::new(true)),
                    ..rhp::SecurityHeadersConfig::new()
                }),
                ..rhp::ResponseHeadersPolicyConfig::new(name.as_str())
            }),
        );
        (Expr::reference(&cache), Expr::reference(&headers))
    }
}

fn distribution_arn(id: &LogicalId) -> Expr {
    Expr::sub(format!(
        "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{id}}}"
    ))
}

fn allow_read(distribution: &LogicalId, bucket: Bucket) -> Bucket {
    let objects = crate::concat(vec![bucket.arn(), Expr::from("/*")]);
    let read = Statement::allow(&[actions::s3::GET_OBJECT], vec![objects]);
    let statement = reader_statement(distribution, read, "AllowCloudFrontRead");
    bucket.policy_statement(statement)
}

/// Only this distribution (by ARN) may use the grant: the confused-deputy guard of
/// origin access control.
fn reader_statement(distribution: &LogicalId, statement: Statement, sid: &str) -> Statement {
    statement
        .sid(sid)
        .principal(Principal::Service("cloudfront.amazonaws.com".into()))
        .condition(
            "StringEquals",
            "AWS:SourceArn",
            distribution_arn(distribution),
        )
}

/// CloudFront types its TTLs as JSON `number`s; whole seconds are written as integers
/// (`10`, not `10.0`), as the templates always had them.
fn whole_seconds(seconds: u32) -> Val<f64> {
    Val::Expr(Expr::Int(seconds.into()))
}

fn origin(bucket: &Bucket, oac: &LogicalId) -> cf::Origin {
    cf::Origin {
        origin_access_control_id: Some(oac::OriginAccessControl::att_id(oac).into()),
        // Empty: access goes through origin access control, not a legacy identity.
        s3_origin_config: Some(cf::S3OriginConfig {
            origin_access_identity: Some("".into()),
            ..cf::S3OriginConfig::new()
        }),
        ..cf::Origin::new(
            cfn::s3::Bucket::att_regional_domain_name(&bucket.id),
            bucket.id.to_string(),
        )
    }
}

// The default and the ordered behaviours are distinct generated types with the same
// fields. Both: read-only (GET/HEAD), HTTPS only (plain HTTP is redirected), compressed.

fn default_behavior(site: &Bucket, cache: Expr, headers: Expr) -> cf::DefaultCacheBehavior {
    cf::DefaultCacheBehavior {
        allowed_methods: get_and_head(),
        cached_methods: get_and_head(),
        compress: Some(true.into()),
        cache_policy_id: Some(cache.into()),
        response_headers_policy_id: Some(headers.into()),
        ..cf::DefaultCacheBehavior::new(site.id.to_string(), ViewerProtocolPolicy::RedirectToHttps)
    }
}

fn ordered_behavior(origin: &ImmutableOrigin, cache: Expr, headers: Expr) -> cf::CacheBehavior {
    cf::CacheBehavior {
        allowed_methods: get_and_head(),
        cached_methods: get_and_head(),
        compress: Some(true.into()),
        cache_policy_id: Some(cache.into()),
        response_headers_policy_id: Some(headers.into()),
        // The schema inlines this enum for ordered behaviours: a string there.
        ..cf::CacheBehavior::new(
            origin.path_pattern.as_str(),
            origin.bucket.id.to_string(),
            "redirect-to-https",
        )
    }
}

fn get_and_head() -> Option<Vec<Val<String>>> {
    Some(vec!["GET".into(), "HEAD".into()])
}
