//! Api: the HTTP API, its JWT authorizer and one Lambda per handler group.
use super::auth::AuthStack;
use super::data::{DataStack, GSI1};
use super::published;
use super::stage::StageConfig;
use cfn_core::iam::actions::{cognito, dynamodb};
use cfn_core::{Expr, LogicalId};
use constructs::bucket::ObjectAction;
use constructs::function::{Function, FunctionRef};
use constructs::http_api::HttpMethod::{self, Get, Post};
use constructs::http_api::{Auth, AuthorizerKind, HttpApi};
use constructs::user_pool::UserPoolRef;
use constructs::Stack;

/// One Lambda per handler group, and the routes it serves (seed 002).
pub struct Handler {
    pub binary: &'static str,
    pub description: &'static str,
    pub routes: &'static [(HttpMethod, &'static str, Auth)],
}

pub const HANDLERS: &[Handler] = &[
    Handler {
        binary: "auth",
        description: "Passwordless sign-in: start and verify email one-time codes",
        routes: &[
            (Post, "/auth/login", Auth::None),
            (Post, "/auth/verify", Auth::None),
        ],
    },
    Handler {
        binary: "batches",
        description: "Create, list and read batches",
        routes: &[
            (Post, "/batches", Auth::Authorizer),
            (Get, "/batches", Auth::Authorizer),
            (Get, "/batches/{id}", Auth::Authorizer),
        ],
    },
    Handler {
        binary: "events",
        description: "Batch events (feeding, straining, bottling, tasting, note, photo)",
        routes: &[
            (Post, "/batches/{id}/events", Auth::Authorizer),
            (Get, "/batches/{id}/events", Auth::Authorizer),
        ],
    },
    Handler {
        binary: "reminders",
        description: "Reminder suggestions, confirmation and listing",
        routes: &[
            (Get, "/batches/{id}/reminders/suggestions", Auth::Authorizer),
            (Post, "/batches/{id}/reminders/confirm", Auth::Authorizer),
            (Get, "/me/reminders", Auth::Authorizer),
        ],
    },
    Handler {
        binary: "devices",
        description: "Push device (Expo token) registration",
        routes: &[(Post, "/me/devices", Auth::Authorizer)],
    },
    Handler {
        binary: "export",
        description: "CSV export of the caller's batches and events",
        routes: &[(Get, "/export.csv", Auth::Authorizer)],
    },
    Handler {
        binary: "public",
        description: "Read-only public view of batches their owner made public",
        routes: &[(Get, "/public/b/{batchId}", Auth::None)],
    },
];

pub struct ApiStack {
    pub stack: Stack,
    pub api_name: String,
    pub functions: Vec<FunctionRef>,
}

pub fn stack(stage: &StageConfig, auth: &AuthStack, data: &DataStack) -> ApiStack {
    let mut stack = Stack::new("Api", stage, "HTTP API and its Lambda handlers");
    stack.depends_on(&auth.stack);
    stack.depends_on(&data.stack);
    let pool_param = LogicalId::new("UserPoolId").unwrap();
    stack.import(pool_param.clone(), published::USER_POOL_ID, "User pool ID");
    let client_id = stack.import(
        LogicalId::new("UserPoolClientId").unwrap(),
        published::USER_POOL_CLIENT_ID,
        "User pool app client ID",
    );
    let pool = UserPoolRef::imported(&pool_param, client_id.clone());
    let (table, photos) = (&data.table, &data.photos);

    let mut functions = Vec::new();
    let mut api = HttpApi::new(&stack, "http-api")
        .cors_origins(stage.cors_origins)
        .throttle(stage.throttle_rate_limit, stage.throttle_burst_limit)
        .authorizer(AuthorizerKind::Jwt {
            issuer: pool.issuer(),
            audience: vec![client_id.clone()],
        });
    for handler in HANDLERS {
        let mut function = Function::new(&stack, handler.binary, handler.description)
            .env("TABLE_NAME", table.name.as_str())
            .env("BUCKET_NAME", photos.name());
        match handler.binary {
            "auth" => {
                function = function
                    .env("USER_POOL_ID", pool.pool_id.clone())
                    .env("USER_POOL_CLIENT_ID", client_id.clone());
                pool.grant(
                    &mut function,
                    &[cognito::ADMIN_GET_USER, cognito::ADMIN_CREATE_USER],
                );
            }
            "batches" | "reminders" => {
                table.grant(
                    &mut function,
                    &[dynamodb::GET_ITEM, dynamodb::PUT_ITEM, dynamodb::QUERY],
                );
            }
            "events" => {
                table.grant(
                    &mut function,
                    &[dynamodb::GET_ITEM, dynamodb::PUT_ITEM, dynamodb::QUERY],
                );
                // Presigned URLs carry the signer's permissions: only under users/.
                photos.grant_objects(
                    &mut function,
                    "users/",
                    &[ObjectAction::Put, ObjectAction::Get],
                );
            }
            "devices" => table.grant(&mut function, &[dynamodb::PUT_ITEM]),
            "export" => table.grant(&mut function, &[dynamodb::QUERY]),
            "public" => {
                table.grant(&mut function, &[dynamodb::QUERY]);
                table.grant_index(&mut function, GSI1, &[dynamodb::QUERY]);
            }
            other => panic!("handler {other} has no grants declared"),
        }
        let function = function.add_to(&mut stack);
        for (method, path, route_auth) in handler.routes {
            api = api.route(*method, path, &function, *route_auth);
        }
        functions.push(function);
    }
    let api_name = stage.physical_name("http-api");
    let api_id = api.add_to(&mut stack);
    stack.publish(
        LogicalId::new("ApiIdParameter").unwrap(),
        published::API_ID,
        api_id,
        "ID of the HTTP API",
    );
    stack.publish(
        LogicalId::new("ApiUrlParameter").unwrap(),
        published::API_URL,
        Expr::sub("https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"),
        "Base URL of the HTTP API",
    );
    ApiStack {
        stack,
        api_name,
        functions,
    }
}
