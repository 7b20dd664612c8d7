//! A CloudFront distribution in front of private S3 buckets: origin access control (the
//! buckets stay private, only this distribution may read them), HTTPS only, compression,
//! and either SPA routing or long-lived immutable caching per origin.
use super::bucket::Bucket;
use super::stack::Stack;
use cfn_core::iam::{actions, Principal, Statement};
use cfn_core::resources::cloudfront as cf;
use cfn_core::{Expr, LogicalId};

/// AWS-managed policies, referenced by their fixed IDs.
const MANAGED_CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const MANAGED_SECURITY_HEADERS: &str = "67f7725c-6f97-4210-82d7-5512b31e9d03";

#[derive(Debug, Clone)]
struct OriginSpec {
    origin_id: String,
    bucket: LogicalId,
}

#[derive(Debug, Clone)]
pub struct Distribution {
    pub id: LogicalId,
    name: String,
    comment: String,
    price_class: &'static str,
    site: Option<OriginSpec>,
    immutable: Vec<(String, OriginSpec, u32)>,
}

/// The rendered distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionRef {
    pub id: LogicalId,
    /// `dxxxx.cloudfront.net`
    pub domain_name: Expr,
}

impl Distribution {
    pub fn new(stack: &Stack, id: &str, comment: &str) -> Distribution {
        Distribution {
            id: LogicalId::from_path(&[id, "distribution"]),
            name: stack.stage.physical_name(id),
            comment: comment.to_string(),
            // North America and Europe only: the cheapest class.
            price_class: "PriceClass_100",
            site: None,
            immutable: Vec::new(),
        }
    }

    /// The default behaviour: a single-page app. `/` serves `index.html`, and a path the
    /// bucket does not have (404) serves `/index.html` too, so client-side routes load.
    /// CloudFront may also list the bucket: without `s3:ListBucket` S3 answers a missing
    /// key with 403, which must not be rewritten (it would hide real denials).
    pub fn site_origin(&mut self, bucket: Bucket) -> Bucket {
        let spec = OriginSpec {
            origin_id: bucket.id.to_string(),
            bucket: bucket.id.clone(),
        };
        self.site = Some(spec);
        let list = Statement::allow(&[actions::s3::LIST_BUCKET], vec![bucket.arn()]);
        let bucket = bucket.policy_statement(self.reader_statement(list, "AllowCloudFrontList"));
        self.allow_read(bucket)
    }

    /// An ordered behaviour for `path_pattern` (e.g. `/images/*`) cached for
    /// `max_age_seconds` and served with `Cache-Control: immutable`: objects are written
    /// once under versioned names, so browsers and edges never need to revalidate.
    pub fn immutable_origin(
        &mut self,
        path_pattern: &str,
        bucket: Bucket,
        max_age_seconds: u32,
    ) -> Bucket {
        let spec = OriginSpec {
            origin_id: bucket.id.to_string(),
            bucket: bucket.id.clone(),
        };
        self.immutable
            .push((path_pattern.to_string(), spec, max_age_seconds));
        self.allow_read(bucket)
    }

    fn allow_read(&self, bucket: Bucket) -> Bucket {
        let objects = Expr::Join(String::new(), vec![bucket.arn(), Expr::from("/*")]);
        let read = Statement::allow(&[actions::s3::GET_OBJECT], vec![objects]);
        let statement = self.reader_statement(read, "AllowCloudFrontRead");
        bucket.policy_statement(statement)
    }

    /// Only this distribution (by ARN) may use the grant: the confused-deputy guard of
    /// origin access control.
    fn reader_statement(&self, statement: Statement, sid: &str) -> Statement {
        statement
            .sid(sid)
            .principal(Principal::Service("cloudfront.amazonaws.com".into()))
            .condition("StringEquals", "AWS:SourceArn", self.arn())
    }

    pub fn arn(&self) -> Expr {
        Expr::sub(format!(
            "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{}}}",
            self.id
        ))
    }

    pub fn add_to(self, stack: &mut Stack) -> DistributionRef {
        let site = self
            .site
            .clone()
            .unwrap_or_else(|| panic!("distribution {} has no site origin", self.id));
        let oac = self.id.child("OriginAccessControl");
        stack.add(
            oac.clone(),
            &cf::OriginAccessControl {
                origin_access_control_config: cf::OriginAccessControlConfig {
                    name: Expr::from(&self.name),
                    description: Some(format!("{}: signed requests to S3", self.name)),
                    origin_access_control_origin_type: "s3".into(),
                    signing_behavior: "always".into(),
                    signing_protocol: "sigv4".into(),
                },
            },
        );
        let mut origins = vec![origin(&site, &oac)];
        let mut behaviors = Vec::new();
        for (pattern, spec, max_age) in &self.immutable {
            if !origins.iter().any(|o| o.id == spec.origin_id) {
                origins.push(origin(spec, &oac));
            }
            let (cache, headers) = self.immutable_policies(stack, pattern, *max_age);
            behaviors.push(cf::CacheBehavior {
                path_pattern: Some(pattern.clone()),
                response_headers_policy_id: Some(headers),
                ..behavior(&spec.origin_id, cache)
            });
        }
        stack.add(
            self.id.clone(),
            &cf::Distribution {
                distribution_config: cf::DistributionConfig {
                    comment: Some(self.comment.clone()),
                    enabled: true,
                    default_root_object: Some("index.html".into()),
                    price_class: Some(self.price_class.into()),
                    http_version: Some("http2and3".into()),
                    ipv6_enabled: Some(true),
                    origins,
                    default_cache_behavior: cf::CacheBehavior {
                        response_headers_policy_id: Some(Expr::from(MANAGED_SECURITY_HEADERS)),
                        ..behavior(&site.origin_id, Expr::from(MANAGED_CACHING_OPTIMIZED))
                    },
                    cache_behaviors: (!behaviors.is_empty()).then_some(behaviors),
                    custom_error_responses: Some(vec![cf::CustomErrorResponse {
                        error_code: 404,
                        response_code: Some(200),
                        response_page_path: Some("/index.html".into()),
                        error_caching_min_ttl: Some(10),
                    }]),
                },
            },
        );
        DistributionRef {
            domain_name: Expr::get_att(&self.id, "DomainName"),
            id: self.id,
        }
    }

    /// A cache policy holding objects for `max_age` and a response-headers policy that
    /// tells browsers the same, marked immutable, plus HSTS.
    fn immutable_policies(&self, stack: &mut Stack, pattern: &str, max_age: u32) -> (Expr, Expr) {
        let slug: String = pattern
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let cache = self.id.child(&format!("{slug}CachePolicy"));
        stack.add(
            cache.clone(),
            &cf::CachePolicy {
                cache_policy_config: cf::CachePolicyConfig {
                    name: Expr::from(format!("{}-{slug}", self.name)),
                    comment: Some(format!("{pattern}: versioned names, cached {max_age} s")),
                    default_ttl: max_age,
                    max_ttl: max_age,
                    min_ttl: 0,
                    parameters_in_cache_key_and_forwarded_to_origin: cf::CacheKeyParameters {
                        enable_accept_encoding_gzip: true,
                        enable_accept_encoding_brotli: true,
                        cookies_config: cf::CookieBehavior {
                            cookie_behavior: "none".into(),
                        },
                        headers_config: cf::HeaderBehavior {
                            header_behavior: "none".into(),
                        },
                        query_strings_config: cf::QueryStringBehavior {
                            query_string_behavior: "none".into(),
                        },
                    },
                },
            },
        );
        let headers = self.id.child(&format!("{slug}HeadersPolicy"));
        stack.add(
            headers.clone(),
            &cf::ResponseHeadersPolicy {
                response_headers_policy_config: cf::ResponseHeadersPolicyConfig {
                    name: Expr::from(format!("{}-{slug}", self.name)),
                    comment: Some(format!("{pattern}: immutable cache headers")),
                    custom_headers_config: Some(cf::CustomHeadersConfig {
                        items: vec![cf::CustomHeader {
                            header: "Cache-Control".into(),
                            value: format!("public, max-age={max_age}, immutable"),
                            override_: true,
                        }],
                    }),
                    security_headers_config: Some(cf::SecurityHeadersConfig {
                        strict_transport_security: Some(cf::StrictTransportSecurity {
                            access_control_max_age_sec: 31_536_000,
                            include_subdomains: true,
                            preload: false,
                            override_: true,
                        }),
                        content_type_options: Some(cf::OverrideOnly { override_: true }),
                    }),
                },
            },
        );
        (Expr::reference(&cache), Expr::reference(&headers))
    }
}

fn origin(spec: &OriginSpec, oac: &LogicalId) -> cf::Origin {
    cf::Origin {
        id: spec.origin_id.clone(),
        domain_name: Expr::get_att(&spec.bucket, "RegionalDomainName"),
        origin_access_control_id: Some(Expr::get_att(oac, "Id")),
        s3_origin_config: Some(cf::S3OriginConfig {
            origin_access_identity: String::new(),
        }),
    }
}

/// Read-only, HTTPS only (plain HTTP is redirected), compressed.
fn behavior(origin_id: &str, cache_policy: Expr) -> cf::CacheBehavior {
    cf::CacheBehavior {
        path_pattern: None,
        target_origin_id: origin_id.to_string(),
        viewer_protocol_policy: "redirect-to-https".into(),
        allowed_methods: vec!["GET".into(), "HEAD".into()],
        cached_methods: vec!["GET".into(), "HEAD".into()],
        compress: true,
        cache_policy_id: cache_policy,
        response_headers_policy_id: None,
    }
}
