//! `dev`'s sequence: emulator, build, bootstrap + deploy, read back, serve, stop.
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use aws_config::{BehaviorVersion, Region, SdkConfig};

use super::deployed::{self, Deployed, Schedule};
use super::emulator::{self, Emulator};
use super::enforce::{self, check_permissions, Armed, Arming};
use super::gateway::{self, Gateway};
use super::jwt::Verifier;
use super::permissions::{self, Principal, Watch};
use super::request_log::{AUTHORIZER_ENV, REQUEST_LOG_ENV};
use super::runtime::{FunctionHost, Outcome};
use super::{build, outbound, reload};
use crate::app::{App, Stage};
use crate::engine::clients::Clients;
use crate::engine::deploy::Safety;
use crate::engine::run::{DeployOptions, Session};
use crate::engine::ui::Ui;

/// Seconds between runs of every enabled `rate()` schedule instead of its rate (so a
/// test or a developer sees a scheduled function run without waiting minutes).
pub const SCHEDULE_EVERY_ENV: &str = "TOOLKIT_DEV_SCHEDULE_EVERY";

/// Where the emulator writes sign-in codes (`emulator/bubble_moto/email_otp.py`).
pub const MAIL_DIR_ENV: &str = "BUBBLE_MOTO_MAIL_DIR";

#[derive(Debug, Clone)]
pub struct DevOptions {
    pub stage: Stage,
    /// Port of the (first) HTTP API on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Added to the functions' `cargo build` (e.g. a feature selection).
    pub build_flags: Vec<String>,
}

/// Runs until Ctrl-C or SIGTERM; every process it started is stopped before it returns.
pub async fn run(app: &App, options: DevOptions) -> Result<()> {
    let started = Instant::now();
    let mut stop = Box::pin(stop_signal());
    let root = repo_root(app);
    let work = work_dir(app, options.stage);
    let mail_dir = root.join(".local/mail");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    // The emulator's request log, for the permission checks (see `permissions`): ours,
    // or the one the developer's emulator writes (`BUBBLE_MOTO_REQUEST_LOG`).
    let mut request_log = std::env::var_os(REQUEST_LOG_ENV).map(PathBuf::from);
    // Our emulator also asks dev before it handles a function's call (AccessDenied).
    let arming: Arming = Default::default();

    // 1. The emulator: the developer's (loopback only) or our own.
    let mut own_emulator = None;
    let endpoint = match std::env::var("AWS_ENDPOINT_URL") {
        Ok(url) if !url.is_empty() => {
            if !super::is_loopback_url(&url) {
                bail!(
                    "AWS_ENDPOINT_URL is {url}: dev only talks to an emulator on this machine \
                     (http://127.0.0.1:PORT); unset it to let dev start one"
                );
            }
            url.trim_end_matches('/').to_string()
        }
        _ => {
            let log = work.join("requests.jsonl");
            let _ = std::fs::remove_file(&log);
            request_log = Some(log.clone());
            let authorizer = enforce::serve_authorizer(arming.clone()).await?;
            let env: Vec<(&str, OsString)> = vec![
                (MAIL_DIR_ENV, mail_dir.clone().into()),
                (REQUEST_LOG_ENV, log.into()),
                (AUTHORIZER_ENV, authorizer.into()),
            ];
            let dir = root.join("emulator");
            let e = tokio::task::spawn_blocking(move || Emulator::start(&dir, &env))
                .await?
                .context("starting the emulator")?;
            let url = e.endpoint();
            say(format!("emulator: {url} (pid {})", e.pid()));
            own_emulator = Some(e);
            url
        }
    };

    // Stopped during start-up: the processes started so far go with the dropped future.
    let result = tokio::select! {
        r = start(app, &options, &endpoint, &work, request_log, &arming, started) => r.map(Some),
        _ = &mut stop => Ok(None),
    };
    let (hosts, watch) = match result {
        Ok(Some(running)) => {
            stop.await;
            running
        }
        Ok(None) => {
            build::cancel_running();
            (Vec::new(), None)
        }
        Err(e) => {
            if let Some(mut e) = own_emulator.take() {
                e.stop();
            }
            return Err(e);
        }
    };
    say("stopping".to_string());
    // A reload's build in progress goes too (the runtime would wait for it).
    build::cancel_running();
    // The last calls, before the processes go; a denied call fails the run.
    let denied = match &watch {
        Some(w) => check_permissions(w, &hosts).await.len(),
        None => 0,
    };
    for host in &hosts {
        host.stop();
    }
    let had_emulator = own_emulator.is_some();
    if let Some(mut e) = own_emulator.take() {
        e.stop();
    }
    say(format!(
        "stopped {} function process(es){} after {:.0} s",
        hosts.len(),
        if had_emulator {
            " and the emulator"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    ));
    if denied > 0 {
        let report = permissions::report_path(&work);
        bail!(
            "{denied} AWS call(s) by the functions were denied by their deployed roles (see \
             the DENIED lines above and {})",
            report.display()
        );
    }
    Ok(())
}

fn say(text: String) {
    eprintln!("dev: {text}");
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

type PermissionWatch = Arc<tokio::sync::Mutex<Watch>>;

/// Everything after the emulator, up to serving; returns the function processes and the
/// permission checks (when the emulator keeps a request log).
async fn start(
    app: &App,
    options: &DevOptions,
    endpoint: &str,
    work: &std::path::Path,
    request_log: Option<PathBuf>,
    arming: &Arming,
    started: Instant,
) -> Result<(Vec<Arc<FunctionHost>>, Option<PermissionWatch>)> {
    let stage = options.stage;
    let root = repo_root(app);
    let stacks = app.synth(stage);

    // 2. The functions' code, built for this machine.
    let mut binaries: Vec<String> = stacks
        .iter()
        .flat_map(|s| s.lambda_code.iter().map(|c| c.binary.clone()))
        .collect();
    binaries.sort();
    binaries.dedup();
    let t = Instant::now();
    let executables = if binaries.is_empty() {
        BTreeMap::new()
    } else {
        say(format!(
            "building {} function(s): {}",
            binaries.len(),
            binaries.join(", ")
        ));
        let (r, b, f) = (root.clone(), binaries.clone(), options.build_flags.clone());
        let exes = tokio::task::spawn_blocking(move || build::cargo_build(&r, &b, &f)).await??;
        let (dir, zipped) = (work.join("lambda"), exes.clone());
        tokio::task::spawn_blocking(move || build::zip_executables(&dir, &zipped)).await??;
        say(format!("built in {:.1} s", t.elapsed().as_secs_f64()));
        exes
    };

    // 3. Bootstrap and deploy with the engine.
    let t = Instant::now();
    let session =
        Session::new(Clients::for_endpoint(endpoint).await, Ui::terminal(), stage).with_app(app);
    session.bootstrap().await.context("bootstrapping")?;
    let deploy = DeployOptions {
        safety: Safety {
            yes: true,
            allow_replace: true,
        },
        hotswap: false,
        lambda_dir: Some(work.join("lambda")),
        repo: root.clone(),
        outputs_file: work.join("outputs.json"),
    };
    session
        .deploy(&stacks, &deploy)
        .await
        .context("deploying")?;
    say(format!("deployed in {:.1} s", t.elapsed().as_secs_f64()));

    // 4. Read the stage back and start what it describes.
    let config = sdk_config(endpoint).await;
    let deployed = deployed::read(&config, stage, &stacks).await?;
    let sink = outbound::serve(work.join("outbound")).await?;
    let stand_ins = match std::env::var(outbound::STAND_INS_ENV) {
        Ok(spec) => outbound::stand_ins(&spec)?,
        Err(_) => BTreeMap::new(),
    };
    let schedule_every = schedule_every()?;
    let mut hosts: BTreeMap<String, Arc<FunctionHost>> = BTreeMap::new();
    let iam = aws_sdk_iam::Client::new(&config);
    let mut principals = Vec::new();
    for function in deployed.functions.values() {
        let Some(exe) = executables.get(&function.binary) else {
            continue;
        };
        let mut function = function.clone();
        for (name, url) in outbound::redirect(&mut function.environment, &sink) {
            say(format!(
                "{}: {name} ({url}) goes to a local sink",
                function.name
            ));
        }
        for (name, url) in &stand_ins {
            if let Some(value) = function.environment.get_mut(name) {
                say(format!(
                    "{}: {name} goes to the stand-in {url}",
                    function.name
                ));
                *value = url.clone();
            }
        }
        // The emulator's endpoint and region, with the function's own role's keys.
        let credentials = permissions::role_credentials(&config, &function.role, &function.name)
            .await
            .with_context(|| format!("credentials for {}", function.name))?;
        let mut extra: Vec<(String, String)> = emulator::aws_env(endpoint)
            .into_iter()
            .filter(|(k, _)| !k.starts_with("AWS_ACCESS_KEY") && !k.starts_with("AWS_SECRET"))
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        principals.push(Principal {
            function: function.name.clone(),
            access_key: credentials.access_key_id.clone(),
            role: permissions::read_role(&iam, &function.role)
                .await
                .with_context(|| format!("reading {}'s role", function.name))?,
        });
        extra.extend(credentials.env());
        let host = FunctionHost::start(function.clone(), exe, &extra).await?;
        hosts.insert(function.name.clone(), Arc::new(host));
    }
    let mut urls = Vec::new();
    for (i, api) in deployed.apis.iter().enumerate() {
        let mut verifiers = BTreeMap::new();
        for authorizer in api.routes.iter().filter_map(|r| r.authorizer.clone()) {
            if !verifiers.contains_key(&authorizer.issuer) {
                let issuer = authorizer.issuer.clone();
                verifiers.insert(issuer, Verifier::fetch(authorizer, endpoint).await?);
            }
        }
        let gw = Arc::new(Gateway {
            api_id: api.id.clone(),
            routes: api.routes.clone(),
            verifiers,
            functions: hosts.clone(),
            requests: Default::default(),
        });
        let port = if i == 0 { options.port } else { 0 };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("listening on 127.0.0.1:{port}"))?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, gateway::router(gw)).await;
        });
        urls.push((api.name.clone(), url, api.routes.len()));
    }
    for schedule in &deployed.schedules {
        start_schedule(schedule, &hosts, schedule_every);
    }
    if !binaries.is_empty() {
        let dirs = reload::watched_dirs(&root, &binaries)?;
        reload::watch(
            &dirs,
            reload::Reload {
                root: root.clone(),
                binaries: binaries.clone(),
                build_flags: options.build_flags.clone(),
                hosts: hosts.clone(),
            },
        )?;
        let shown: Vec<String> = dirs
            .iter()
            .map(|d| d.strip_prefix(&root).unwrap_or(d).display().to_string())
            .collect();
        say(format!(
            "reload: watching {} (a saved change rebuilds and reloads the functions)",
            shown.join(", ")
        ));
    }
    let hosts: Vec<Arc<FunctionHost>> = hosts.into_values().collect();
    let watch = match request_log {
        Some(log) => {
            let report = permissions::report_path(work);
            say(format!(
                "permissions: each function's AWS calls are checked against its deployed \
                 role; report: {}",
                report.display()
            ));
            let keys = principals.iter().map(|p| p.access_key.clone()).collect();
            let watch = Watch::new(log, report, principals, iam.clone());
            let watch = Arc::new(tokio::sync::Mutex::new(watch));
            let _ = arming.set(Armed {
                keys,
                watch: watch.clone(),
                hosts: hosts.clone(),
            });
            let (w, h) = (watch.clone(), hosts.clone());
            tokio::spawn(async move {
                let mut ticks = tokio::time::interval(Duration::from_millis(300));
                loop {
                    ticks.tick().await;
                    check_permissions(&w, &h).await;
                }
            });
            Some(watch)
        }
        None => {
            say(format!(
                "permissions are not checked: the emulator at {endpoint} keeps no request \
                 log for dev (start it with {REQUEST_LOG_ENV}=<file> and set the same here)"
            ));
            None
        }
    };
    print_summary(app, &deployed, &urls, endpoint, &deploy.outputs_file);
    say(format!(
        "ready in {:.1} s (Ctrl-C stops everything)",
        started.elapsed().as_secs_f64()
    ));
    Ok((hosts, watch))
}

fn print_summary(
    app: &App,
    deployed: &Deployed,
    urls: &[(String, String, usize)],
    endpoint: &str,
    outputs_file: &std::path::Path,
) {
    let mut out = String::new();
    for (name, url, routes) in urls {
        out.push_str(&format!("API {name}: {url} ({routes} routes)\n"));
    }
    out.push_str(&format!("emulator: {endpoint}\n"));
    // The stage's outputs as the engine wrote them for the frontend.
    let values = std::fs::read_to_string(outputs_file)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("values").and_then(|v| v.as_object()).cloned())
        .unwrap_or_default();
    out.push_str(&format!("outputs ({}):\n", outputs_file.display()));
    for (key, value) in &values {
        out.push_str(&format!(
            "  {key} = {}\n",
            value.as_str().unwrap_or_default()
        ));
    }
    for (stack, key, value) in &deployed.outputs {
        out.push_str(&format!("  {stack}.{key} = {value}\n"));
    }
    for s in &deployed.schedules {
        out.push_str(&format!(
            "schedule {}: {} runs {}{}\n",
            s.name,
            s.expression,
            s.function,
            if s.enabled { "" } else { " (disabled)" }
        ));
    }
    let mail = repo_root(app).join(".local/mail");
    if std::env::var_os("AWS_ENDPOINT_URL").is_some() {
        out.push_str(&format!(
            "sign-in codes: wherever that emulator's {MAIL_DIR_ENV} points\n"
        ));
    } else {
        out.push_str(&format!("sign-in codes: {}/<email>\n", mail.display()));
    }
    // stdout: what a script reads (the API URL first).
    print!("{out}");
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
}

/// `rate(5 minutes)` → 5 min. Cron and one-time (`at(...)`) schedules are not run.
pub fn rate(expression: &str) -> Option<Duration> {
    let inner = expression.strip_prefix("rate(")?.strip_suffix(')')?;
    let (n, unit) = inner.trim().split_once(' ')?;
    let n: u64 = n.parse().ok()?;
    let seconds = match unit.trim().trim_end_matches('s') {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86400,
        _ => return None,
    };
    (n > 0).then(|| Duration::from_secs(n * seconds))
}

/// [`SCHEDULE_EVERY_ENV`], when set: a whole number of seconds, at least 1.
fn schedule_every() -> Result<Option<Duration>> {
    let Ok(text) = std::env::var(SCHEDULE_EVERY_ENV) else {
        return Ok(None);
    };
    match text.trim().parse::<u64>() {
        Ok(s) if s > 0 => Ok(Some(Duration::from_secs(s))),
        _ => bail!(
            "{SCHEDULE_EVERY_ENV} is {text:?}: expected a whole number of seconds (1 or more)"
        ),
    }
}

fn start_schedule(
    schedule: &Schedule,
    hosts: &BTreeMap<String, Arc<FunctionHost>>,
    every_override: Option<Duration>,
) {
    let Some(host) = hosts.get(&schedule.function).cloned() else {
        return;
    };
    let Some(every) = rate(&schedule.expression).filter(|_| schedule.enabled) else {
        say(format!(
            "schedule {} ({}) is not run by dev: only enabled rate() schedules are",
            schedule.name, schedule.expression
        ));
        return;
    };
    let every = every_override.unwrap_or(every);
    if every_override.is_some() {
        say(format!(
            "schedule {}: every {} s ({SCHEDULE_EVERY_ENV})",
            schedule.name,
            every.as_secs()
        ));
    }
    let (name, input) = (schedule.name.clone(), schedule.input.clone());
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            let answer = host
                .invoke_as(input.clone().into(), &format!("schedule {name}"))
                .await;
            let text = match answer {
                Ok(Outcome::Response(b)) => format!("answered {}", String::from_utf8_lossy(&b)),
                Ok(Outcome::Error(b)) => format!("failed: {}", String::from_utf8_lossy(&b)),
                Err(e) => format!("not run: {e}"),
            };
            say(format!("schedule {name}: {} {text}", host.function.name));
        }
    });
}

/// SDK configuration for the emulator: static test credentials, us-east-1.
async fn sdk_config(endpoint: &str) -> SdkConfig {
    let creds =
        aws_sdk_cloudformation::config::Credentials::new("test", "test", None, None, "static");
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(creds)
        .load()
        .await
}

/// Where `dev` keeps its zips, outputs and outbound log for a stage.
pub fn work_dir(app: &App, stage: Stage) -> PathBuf {
    repo_root(app).join(".local/dev").join(stage.name())
}

/// The app's root without `..` (it is printed).
fn repo_root(app: &App) -> PathBuf {
    app.root()
        .canonicalize()
        .unwrap_or_else(|_| app.root().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_and_other_expressions_are_not() {
        assert_eq!(rate("rate(5 minutes)"), Some(Duration::from_secs(300)));
        assert_eq!(rate("rate(1 hour)"), Some(Duration::from_secs(3600)));
        assert_eq!(rate("rate(2 days)"), Some(Duration::from_secs(172800)));
        assert_eq!(rate("cron(0 12 * * ? *)"), None);
        assert_eq!(rate("rate(0 minutes)"), None);
    }
}
