//! What an app assumes its stage uses in a month. Templates fix the shape (memory,
//! tiers, classes, schedules); usage fills in the traffic. Each assumption is printed
//! next to the number it produces.
use serde::Serialize;

use super::format::count;

/// An amount per month: per monthly active user, or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    PerUser(f64),
    Monthly(f64),
}

impl Rate {
    pub const ZERO: Rate = Rate::Monthly(0.0);

    pub fn monthly(self, users: f64) -> f64 {
        match self {
            Rate::PerUser(per_user) => per_user * users,
            Rate::Monthly(total) => total,
        }
    }

    /// `100 per user × 1,000 users = 100,000 requests`, or `20,000 requests a month`.
    pub fn explain(self, users: f64, unit: &str) -> String {
        match self {
            Rate::PerUser(per_user) => format!(
                "{} per user × {} users = {} {unit}",
                count(per_user),
                count(users),
                count(per_user * users)
            ),
            Rate::Monthly(total) => format!("{} {unit} a month", count(total)),
        }
    }
}

/// Invocations of one function (by its name without the `<app>-<stage>-` prefix, e.g.
/// `guitars-handler`) and how long each runs. Memory and architecture come from the
/// template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionUsage {
    pub name: String,
    pub invocations: Rate,
    pub avg_duration_ms: f64,
}

/// Request units and size of one table (by name without the prefix, e.g. `guitars`).
/// Writes are per item written to the table; each global secondary index adds one write
/// per item written (the estimate assumes every write touches every index).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableUsage {
    pub name: String,
    pub reads: Rate,
    pub writes: Rate,
    pub storage_gb: Rate,
}

/// Size and traffic of one bucket (by name without the prefix, e.g. `uploads`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketUsage {
    pub name: String,
    pub storage_gb: Rate,
    /// Objects stored (Intelligent-Tiering monitors each one over 128 KB).
    pub objects: Rate,
    /// PUT, COPY, POST and LIST requests.
    pub writes: Rate,
    /// GET and other requests.
    pub reads: Rate,
}

/// Traffic of the stage's CloudFront distributions (split evenly if there are several).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CdnUsage {
    pub gb_out: Rate,
    pub requests: Rate,
}

/// Messages through the stage's SNS topics (split evenly if there are several).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NotificationUsage {
    pub publishes: Rate,
    pub emails: Rate,
    pub mobile_push: Rate,
}

/// Which free tiers the estimate deducts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeTier {
    /// The always-free offers, once for this stage (they are per account: a second stage
    /// in the same account shares them).
    AlwaysFree,
    /// None: list prices only, an upper bound.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Usage {
    pub monthly_active_users: f64,
    pub free_tier: FreeTier,
    /// Requests to the stage's HTTP APIs (split evenly if there are several).
    pub api_requests: Rate,
    pub functions: Vec<FunctionUsage>,
    /// Duration of invocations no [`FunctionUsage`] names (scheduled ones).
    pub default_duration_ms: f64,
    /// Log output of one function invocation, start and end lines included.
    pub log_bytes_per_invocation: f64,
    /// One API access log line.
    pub access_log_bytes_per_request: f64,
    pub tables: Vec<TableUsage>,
    pub buckets: Vec<BucketUsage>,
    pub cdn: CdnUsage,
    /// Codes and messages a user pool sends through SES.
    pub sign_in_emails: Rate,
    pub notifications: NotificationUsage,
    /// SQS requests (send, receive, delete) over all queues.
    pub queue_requests: Rate,
    /// GetSecretValue and other calls over all secrets.
    pub secret_api_calls: Rate,
    /// Data through NAT gateways and interface endpoints.
    pub private_network_gb: Rate,
    pub websocket_messages: Rate,
    pub websocket_connection_minutes: Rate,
}

impl Default for Usage {
    /// No traffic: only the costs a template fixes (alarms, keys, instances, ...).
    fn default() -> Usage {
        Usage {
            monthly_active_users: 0.0,
            free_tier: FreeTier::AlwaysFree,
            api_requests: Rate::ZERO,
            functions: Vec::new(),
            default_duration_ms: 100.0,
            log_bytes_per_invocation: 500.0,
            access_log_bytes_per_request: 300.0,
            tables: Vec::new(),
            buckets: Vec::new(),
            cdn: CdnUsage {
                gb_out: Rate::ZERO,
                requests: Rate::ZERO,
            },
            sign_in_emails: Rate::ZERO,
            notifications: NotificationUsage {
                publishes: Rate::ZERO,
                emails: Rate::ZERO,
                mobile_push: Rate::ZERO,
            },
            queue_requests: Rate::ZERO,
            secret_api_calls: Rate::ZERO,
            private_network_gb: Rate::ZERO,
            websocket_messages: Rate::ZERO,
            websocket_connection_minutes: Rate::ZERO,
        }
    }
}

impl Usage {
    pub fn users(monthly_active_users: f64) -> Usage {
        Usage {
            monthly_active_users,
            ..Usage::default()
        }
    }

    pub fn free_tier(mut self, free_tier: FreeTier) -> Usage {
        self.free_tier = free_tier;
        self
    }

    pub fn api_requests(mut self, rate: Rate) -> Usage {
        self.api_requests = rate;
        self
    }

    pub fn function(mut self, name: &str, invocations: Rate, avg_duration_ms: f64) -> Usage {
        self.functions.push(FunctionUsage {
            name: name.to_string(),
            invocations,
            avg_duration_ms,
        });
        self
    }

    pub fn table(mut self, name: &str, reads: Rate, writes: Rate, storage_gb: Rate) -> Usage {
        self.tables.push(TableUsage {
            name: name.to_string(),
            reads,
            writes,
            storage_gb,
        });
        self
    }

    pub fn bucket(mut self, bucket: BucketUsage) -> Usage {
        self.buckets.push(bucket);
        self
    }

    pub fn cdn(mut self, gb_out: Rate, requests: Rate) -> Usage {
        self.cdn = CdnUsage { gb_out, requests };
        self
    }

    pub fn sign_in_emails(mut self, rate: Rate) -> Usage {
        self.sign_in_emails = rate;
        self
    }

    pub fn notifications(mut self, notifications: NotificationUsage) -> Usage {
        self.notifications = notifications;
        self
    }

    pub fn queue_requests(mut self, rate: Rate) -> Usage {
        self.queue_requests = rate;
        self
    }

    pub fn secret_api_calls(mut self, rate: Rate) -> Usage {
        self.secret_api_calls = rate;
        self
    }

    pub fn private_network_gb(mut self, rate: Rate) -> Usage {
        self.private_network_gb = rate;
        self
    }

    pub fn logs(mut self, bytes_per_invocation: f64, access_log_bytes_per_request: f64) -> Usage {
        self.log_bytes_per_invocation = bytes_per_invocation;
        self.access_log_bytes_per_request = access_log_bytes_per_request;
        self
    }

    /// Amount per month of `rate` for this stage's users.
    pub fn monthly(&self, rate: Rate) -> f64 {
        rate.monthly(self.monthly_active_users)
    }

    pub fn explain(&self, rate: Rate, unit: &str) -> String {
        rate.explain(self.monthly_active_users, unit)
    }
}

impl BucketUsage {
    pub fn new(name: &str, storage_gb: Rate) -> BucketUsage {
        BucketUsage {
            name: name.to_string(),
            storage_gb,
            objects: Rate::ZERO,
            writes: Rate::ZERO,
            reads: Rate::ZERO,
        }
    }

    pub fn objects(mut self, rate: Rate) -> BucketUsage {
        self.objects = rate;
        self
    }

    pub fn requests(mut self, writes: Rate, reads: Rate) -> BucketUsage {
        self.writes = writes;
        self.reads = reads;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_scale_with_users_and_say_how() {
        let r = Rate::PerUser(100.0);
        assert_eq!(r.monthly(1_000.0), 100_000.0);
        assert_eq!(
            r.explain(1_000.0, "requests"),
            "100 per user × 1,000 users = 100,000 requests"
        );
        assert_eq!(
            Rate::Monthly(20_000.0).explain(5.0, "writes"),
            "20,000 writes a month"
        );
    }
}
