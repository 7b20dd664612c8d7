//! The committed price table (`prices/<region>.toml`): list prices with their source page,
//! and the always-free allowances they draw from.
use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The tables compiled in, by region.
const TABLES: &[(&str, &str)] = &[("us-east-1", include_str!("prices/us-east-1.toml"))];

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    pub region: String,
    /// Month the prices were read from the pricing pages, e.g. `2026-01`.
    pub as_of: String,
    pub version: u32,
    pub currency: String,
    pub hours_per_month: f64,
    #[serde(rename = "price")]
    prices: Vec<Price>,
    #[serde(rename = "free_tier", default)]
    free_tiers: Vec<FreeTier>,
}

/// `usd` for `per` units, as the pricing page states it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub key: String,
    pub usd: f64,
    pub per: f64,
    pub unit: String,
    /// The always-free allowance this price draws from, if any.
    pub free_tier: Option<String>,
    pub source: String,
    pub note: Option<String>,
}

impl Price {
    pub fn unit_price(&self) -> f64 {
        self.usd / self.per
    }

    /// `$0.20 per 1,000,000 requests`, `$0.25 per GB-month`.
    pub fn describe(&self) -> String {
        if self.per == 1.0 {
            format!("${} per {}", self.usd, self.unit)
        } else {
            format!(
                "${} per {} {}",
                self.usd,
                super::format::count(self.per),
                self.plural()
            )
        }
    }

    /// The unit of many: `request` → `requests`, `GB-month` → `GB-months`; `GB to the
    /// internet` stays (units are written in the singular).
    pub fn plural(&self) -> String {
        if self.unit.starts_with("GB ") {
            self.unit.clone()
        } else {
            format!("{}s", self.unit)
        }
    }
}

/// A monthly always-free allowance, per account.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTier {
    pub key: String,
    pub monthly: f64,
    pub unit: String,
    pub source: String,
}

impl PriceTable {
    /// The committed table for `region`.
    pub fn for_region(region: &str) -> Result<PriceTable> {
        let Some((_, text)) = TABLES.iter().find(|(r, _)| *r == region) else {
            let known: Vec<&str> = TABLES.iter().map(|(r, _)| *r).collect();
            bail!(
                "no price table for region {region} (the toolkit has: {}); add \
                 crates/toolkit/src/cost/prices/{region}.toml",
                known.join(", ")
            );
        };
        PriceTable::parse(text).with_context(|| format!("price table {region}"))
    }

    pub fn parse(text: &str) -> Result<PriceTable> {
        let table: PriceTable = toml::from_str(text)?;
        table.validate()?;
        Ok(table)
    }

    fn validate(&self) -> Result<()> {
        let mut keys = BTreeMap::new();
        for p in &self.prices {
            if keys.insert(p.key.as_str(), ()).is_some() {
                bail!("price {} is listed twice", p.key);
            }
            if !(p.usd >= 0.0 && p.per > 0.0) {
                bail!("price {}: usd must be >= 0 and per > 0", p.key);
            }
            if !p.source.starts_with("https://aws.amazon.com/") {
                bail!("price {}: source must be an AWS pricing page", p.key);
            }
            if let Some(free) = &p.free_tier {
                if self.free_tier(free).is_none() {
                    bail!("price {}: free tier {free} is not in the table", p.key);
                }
            }
        }
        Ok(())
    }

    /// A price the estimator uses; a missing one is a bug in the toolkit (tested).
    pub fn get(&self, key: &str) -> &Price {
        self.find(key)
            .unwrap_or_else(|| panic!("price {key} missing from the {} table", self.region))
    }

    pub fn find(&self, key: &str) -> Option<&Price> {
        self.prices.iter().find(|p| p.key == key)
    }

    pub fn free_tier(&self, key: &str) -> Option<&FreeTier> {
        self.free_tiers.iter().find(|f| f.key == key)
    }

    pub fn prices(&self) -> &[Price] {
        &self.prices
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_parses_and_names_its_sources() {
        let t = PriceTable::for_region("us-east-1").unwrap();
        assert_eq!(t.hours_per_month, 730.0);
        assert!(t.prices().len() > 40);
        assert_eq!(t.get("cloudwatch.alarm.standard").unit_price(), 0.10);
        assert_eq!(t.get("lambda.requests").unit_price(), 0.20 / 1e6);
        assert_eq!(
            t.get("lambda.requests").describe(),
            "$0.2 per 1,000,000 requests"
        );
        assert_eq!(
            t.get("kms.key").describe(),
            "$1 per customer managed key-month"
        );
    }

    #[test]
    fn unknown_regions_and_bad_tables_are_refused() {
        let err = PriceTable::for_region("eu-west-1").unwrap_err().to_string();
        assert!(err.contains("no price table for region eu-west-1"), "{err}");
        let bad = r#"
            region = "x"
            as_of = "2026-01"
            version = 1
            currency = "USD"
            hours_per_month = 730
            [[price]]
            key = "a"
            usd = 1.0
            per = 1
            unit = "thing"
            free_tier = "nope"
            source = "https://aws.amazon.com/x/"
        "#;
        let err = format!("{:#}", PriceTable::parse(bad).unwrap_err());
        assert!(err.contains("free tier nope is not in the table"), "{err}");
    }
}
