//! The Lambda functions, and per function what it reads and what it may call.
use crate::env::EnvVar;
use crate::permissions::{Cognito, DynamoDb, Permission, GSI1, PHOTOS_PREFIX, S3};
use crate::routes::{Route, ROUTES};

/// One Lambda function: one `[[bin]]` of the app crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Function {
    Auth,
    Batches,
    Events,
    Reminders,
    Devices,
    Export,
    Public,
    ReminderProcessor,
}

/// What invokes a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// API Gateway, for the routes in [`ROUTES`] that name the function.
    Http,
    /// An EventBridge schedule.
    Schedule,
}

use DynamoDb::{DeleteItem, GetItem, PutItem, Query, UpdateItem};

impl Function {
    /// In the order the stacks declare them.
    pub const ALL: [Function; 8] = [
        Function::Auth,
        Function::Batches,
        Function::Events,
        Function::Reminders,
        Function::Devices,
        Function::Export,
        Function::Public,
        Function::ReminderProcessor,
    ];

    /// The `[[bin]]` name of the app crate, which is also the Lambda's name suffix.
    pub const fn binary(self) -> &'static str {
        match self {
            Function::Auth => "auth",
            Function::Batches => "batches",
            Function::Events => "events",
            Function::Reminders => "reminders",
            Function::Devices => "devices",
            Function::Export => "export",
            Function::Public => "public",
            Function::ReminderProcessor => "reminder-processor",
        }
    }

    /// The function's description in its stack.
    pub const fn description(self) -> &'static str {
        match self {
            Function::Auth => "Passwordless sign-in: start and verify email one-time codes",
            Function::Batches => "Create, list and read batches",
            Function::Events => "Batch events (feeding, straining, bottling, tasting, note, photo)",
            Function::Reminders => "Reminder suggestions, confirmation and listing",
            Function::Devices => "Push device (Expo token) registration",
            Function::Export => "CSV export of the caller's batches and events",
            Function::Public => "Read-only public view of batches their owner made public",
            Function::ReminderProcessor => {
                "Sends due reminders as Expo push notifications, exactly once"
            }
        }
    }

    pub const fn trigger(self) -> Trigger {
        match self {
            Function::ReminderProcessor => Trigger::Schedule,
            _ => Trigger::Http,
        }
    }

    /// The function's routes, in table order.
    pub fn routes(self) -> impl Iterator<Item = &'static Route> {
        ROUTES.iter().filter(move |r| r.function == self)
    }

    /// The environment variables the function reads at start-up; each one is required.
    pub const fn env(self) -> &'static [EnvVar] {
        use EnvVar::*;
        // Every function builds the data layer (table and bucket) at start-up.
        match self {
            Function::Auth => &[TableName, BucketName, Stage, UserPoolId, UserPoolClientId],
            Function::ReminderProcessor => &[TableName, BucketName, Stage, ExpoPushUrl],
            _ => &[TableName, BucketName, Stage],
        }
    }

    /// The AWS actions the function's code calls, on which resource. Its role gets
    /// exactly these (plus writing its own logs, which the runtime does).
    pub const fn permissions(self) -> &'static [Permission] {
        match self {
            // AdminGetUser + AdminCreateUser provision passwordless users; InitiateAuth and
            // RespondToAuthChallenge are public client calls that need no IAM permission.
            Function::Auth => &[Permission::UserPool(&[
                Cognito::AdminGetUser,
                Cognito::AdminCreateUser,
            ])],
            Function::Batches | Function::Reminders => {
                &[Permission::Table(&[GetItem, PutItem, Query])]
            }
            Function::Events => &[
                Permission::Table(&[GetItem, PutItem, Query]),
                // Presigned photo upload and download URLs.
                Permission::PhotoObjects(PHOTOS_PREFIX, &[S3::PutObject, S3::GetObject]),
            ],
            Function::Devices => &[Permission::Table(&[PutItem])],
            Function::Export => &[Permission::Table(&[Query])],
            Function::Public => &[
                Permission::Table(&[Query]),
                Permission::TableIndex(GSI1, &[Query]),
            ],
            Function::ReminderProcessor => &[
                Permission::TableIndex(GSI1, &[Query]),
                Permission::Table(&[Query, UpdateItem, DeleteItem]),
            ],
        }
    }
}

impl std::fmt::Display for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.binary())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_functions_have_routes_and_scheduled_ones_none() {
        for f in Function::ALL {
            let routes = f.routes().count();
            match f.trigger() {
                Trigger::Http => assert!(routes > 0, "{f} serves no route"),
                Trigger::Schedule => assert_eq!(routes, 0, "{f} is not behind the API"),
            }
        }
    }

    #[test]
    fn every_function_reads_each_variable_once_and_has_permissions() {
        for f in Function::ALL {
            let mut names: Vec<&str> = f.env().iter().map(|v| v.name()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), f.env().len(), "{f} lists a variable twice");
            assert!(!f.permissions().is_empty(), "{f} calls no AWS API?");
        }
    }
}
