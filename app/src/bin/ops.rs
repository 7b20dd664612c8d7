//! Operator tasks on a deployed stage (not a Lambda):
//!   ops seed --stage dev [--user EMAIL]...     sample users and data (refuses prod)
//!   ops cleanup --stage dev [--apply]          orphaned photos: listed, removed with --apply
//! Environment: TABLE_NAME, BUCKET_NAME, USER_POOL_ID (seed) as the stage's functions get
//! them; AWS credentials as usual (AWS_ENDPOINT_URL for the local emulator).
use app::config::clients;
use app::ops::{cleanup, refuse_production, seed};
use app::signin::CognitoSignIn;
use app::store::Store;
use aws_sdk_cognitoidentityprovider::error::DisplayErrorContext;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "BubbleBatch operator tasks: seed a dev stage, clean up orphaned photos")]
struct Ops {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Create sample users (Cognito) and their batches, events, reminders and devices
    Seed {
        #[arg(long)]
        stage: String,
        /// Email of a sample user (repeatable)
        #[arg(long = "user", default_values_t = ["seed-1@example.com".to_string(), "seed-2@example.com".to_string()])]
        users: Vec<String>,
    },
    /// List photos no event refers to; remove them with --apply
    Cleanup {
        #[arg(long)]
        stage: String,
        #[arg(long)]
        apply: bool,
    },
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name)
        .map_err(|_| format!("{name} is not set (the stage's value, as its functions get it)"))
}

#[tokio::main]
async fn main() {
    if let Err(e) = run(Ops::parse()).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(ops: Ops) -> Result<(), String> {
    let clients = clients().await;
    let store = Store::new(clients.ddb.clone(), env("TABLE_NAME")?);
    match ops.task {
        Task::Seed { stage, users } => {
            refuse_production(&stage)?;
            let pool = env("USER_POOL_ID")?;
            let mut subs = Vec::new();
            for email in &users {
                subs.push(user_sub(&clients.cognito, &pool, email).await?);
            }
            let seeded = seed::seed_users(&store, &subs)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "seeded {stage}: {} users, {} batches, {} events, {} reminders, {} devices",
                subs.len(),
                seeded.batches,
                seeded.events,
                seeded.reminders,
                seeded.devices
            );
        }
        Task::Cleanup { stage, apply } => {
            let bucket = env("BUCKET_NAME")?;
            let orphans = cleanup::find_orphans(&store, &clients.s3, &bucket).await?;
            for orphan in &orphans {
                println!("{}  ({})", orphan.key, orphan.reason);
            }
            if apply {
                let n = cleanup::remove(&clients.s3, &bucket, &orphans).await?;
                println!("cleanup {stage}: removed {n} orphaned photos");
            } else {
                println!(
                    "cleanup {stage}: {} orphaned photos (dry run; --apply removes them)",
                    orphans.len()
                );
            }
        }
    }
    Ok(())
}

/// The user's `sub`, creating the user as a first sign-in does (verified email, no
/// invitation mail) if needed.
async fn user_sub(
    cognito: &aws_sdk_cognitoidentityprovider::Client,
    pool: &str,
    email: &str,
) -> Result<String, String> {
    let signin = CognitoSignIn {
        client: cognito.clone(),
        user_pool_id: pool.to_string(),
        // Creating users needs no app client.
        client_id: String::new(),
    };
    signin
        .ensure_user(email)
        .await
        .map_err(|e| format!("creating {email}: {e:?}"))?;
    let user = cognito
        .admin_get_user()
        .user_pool_id(pool)
        .username(email)
        .send()
        .await
        .map_err(|e| format!("reading {email}: {}", DisplayErrorContext(&e)))?;
    user.user_attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value())
        .map(str::to_string)
        .ok_or_else(|| format!("{email} has no sub"))
}
