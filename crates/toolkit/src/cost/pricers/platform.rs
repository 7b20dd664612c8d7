//! Cognito, Secrets Manager, KMS, Parameter Store.
use super::priced;
use crate::cost::context::Context;
use crate::cost::model::{Line, Pricing};
use crate::cost::template::TemplateResource;

/// Monthly active users by tier (Essentials when the template names none: the default
/// for pools created since 2024-11-22), plus mail sent through SES.
pub fn user_pool(r: &TemplateResource, ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let u = ctx.usage;
    let tier = r
        .string(&["UserPoolTier"])
        .unwrap_or_else(|| "ESSENTIALS".into());
    let Some(price) = p.find(&format!("cognito.mau.{}", tier.to_lowercase())) else {
        return Pricing::NotPriced {
            reason: format!("no price for the Cognito {tier} tier"),
        };
    };
    let n = ctx.count("user pools").max(1) as f64;
    let mau = u.monthly_active_users / n;
    let mut basis = format!(
        "the stage's {} monthly active users",
        crate::cost::format::count(u.monthly_active_users)
    );
    if n > 1.0 {
        basis.push_str(&format!(", split over {n} user pools"));
    }
    let mut lines = vec![Line::new(
        &format!("monthly active users ({tier} tier, from the template)"),
        mau,
        price,
        basis,
    )];
    let through_ses = r
        .string(&["EmailConfiguration", "EmailSendingAccount"])
        .as_deref()
        == Some("DEVELOPER");
    if through_ses {
        let (emails, basis) = ctx.share(u.sign_in_emails, "emails", "user pools");
        lines.push(Line::new(
            "emails through SES",
            emails,
            p.get("ses.emails"),
            format!("{basis} (the template sends through SES)"),
        ));
    }
    priced(lines)
}

pub fn secret(ctx: &Context) -> Pricing {
    let p = ctx.prices;
    let (calls, basis) = ctx.share(ctx.usage.secret_api_calls, "API calls", "secrets");
    priced(vec![
        Line::new(
            "secret",
            1.0,
            p.get("secretsmanager.secret"),
            "fixed: 1 secret".into(),
        ),
        Line::new("API calls", calls, p.get("secretsmanager.api_calls"), basis),
    ])
}

pub fn kms_key(ctx: &Context) -> Pricing {
    priced(vec![Line::new(
        "customer managed key",
        1.0,
        ctx.prices.get("kms.key"),
        "fixed: 1 key (requests: 20,000 a month are free, not priced)".into(),
    )])
}

pub fn parameter(r: &TemplateResource, ctx: &Context) -> Pricing {
    if r.string(&["Tier"]).as_deref() == Some("Advanced") {
        priced(vec![Line::new(
            "advanced parameter",
            1.0,
            ctx.prices.get("ssm.parameter.advanced"),
            "fixed: Advanced tier in the template".into(),
        )])
    } else {
        Pricing::NoCharge {
            reason: "standard parameters are free".into(),
        }
    }
}
