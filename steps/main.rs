//! The VNF snapshot conformance suite (cucumber-rs, `harness = false`).
//!
//! `cargo test --test conformance` runs every scenario against the in-process reference stack;
//! `CONFORMANCE_TARGET=<file.toml>` points it at an external VNFM instead. Scenarios are
//! selected with cucumber's own options (`-- --tags '@sol002'`, `-- --name '...'`). The console
//! shows each scenario's verdict and a summary ([`console`]); the reports (JUnit XML,
//! Markdown, HTML, JSON) go to `$CONFORMANCE_REPORT_DIR` (default `target/conformance/`). The
//! run fails only when a scenario FAILs (or a step has no definition, or the features do not
//! parse).

mod choices;
mod cleanup_log;
mod cloud;
mod console;
mod documented;
mod domain;
mod failure;
mod http;
mod leaks;
mod leftovers;
mod redact;
mod registry;
mod report;
mod resources;
mod rules;
mod schema;
mod sink;
mod snapshot;
mod subscriber;
mod target;
mod world;

use std::path::PathBuf;

use cucumber::{event::ScenarioFinished, gherkin, tag::Ext as _, World as _};

use cleanup_log::CleanUpLog;
use report::{ScenarioRecord, Verdict};
use world::Conformance;

/// Scenarios that run at the same time by default (each on its own instances and cloud
/// project). No step's verdict depends on the time it takes, so any value gives the same
/// verdicts; `CONFORMANCE_CONCURRENCY` sets another, e.g. 1 to follow a run in the logs.
const CONCURRENCY: usize = 64;

/// The scenario concurrency: `CONFORMANCE_CONCURRENCY`, or [`CONCURRENCY`].
fn concurrency() -> Result<usize, String> {
    match std::env::var("CONFORMANCE_CONCURRENCY") {
        Err(_) => Ok(CONCURRENCY),
        Ok(text) => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!(
                "CONFORMANCE_CONCURRENCY must be a positive number, not {text:?}"
            )),
        },
    }
}

/// The tags of a scenario, its feature's included (an outline's example carries the tags of
/// its `Examples:` block as its own).
fn tags(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> Vec<String> {
    feature.tags.iter().chain(&scenario.tags).cloned().collect()
}

/// The values of an outline example's row ("cinder volumes.show a 500 error ..."), which name
/// the example whatever its position in the file.
fn example_values(scenario: &gherkin::Scenario) -> Option<String> {
    let table = scenario.examples.first()?.table.as_ref()?;
    Some(table.rows.get(1)?.join(" | "))
}

/// The stem of a scenario's snapshot names; outline examples add their row's values.
fn scenario_stem(feature: &gherkin::Feature, scenario: &gherkin::Scenario) -> String {
    let file = feature
        .path
        .as_ref()
        .and_then(|p| p.file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or("feature");
    let mut stem = format!(
        "{}__{}",
        snapshot::slug(file),
        snapshot::slug(&scenario.name)
    );
    if let Some(values) = example_values(scenario) {
        stem.push_str(&format!("--{}", snapshot::slug(&values)));
    }
    stem
}

fn feature_label(feature: &gherkin::Feature) -> String {
    feature.name.clone()
}

/// The scenario's name in the reports; outline examples add their row's values.
fn scenario_label(scenario: &gherkin::Scenario) -> String {
    match example_values(scenario) {
        Some(values) => format!("{} ({values})", scenario.name),
        None => scenario.name.clone(),
    }
}

/// The verdict of a scenario the target cannot run: one that needs the simulated cloud's
/// control API or the reference VNFM's, or a capability the target does not claim (a `@cap:` tag that names no
/// capability fails the run: the feature files are wrong).
fn not_run(tags: &[String], has_control: bool) -> Option<Verdict> {
    if !has_control && tags.iter().any(|t| t == "fault") {
        let why = "needs the simulated cloud's control API";
        return Some(Verdict::NotApplicable(why.into()));
    }
    let has_vnfm_control = world::target().is_some_and(|t| t.vnfm_control.is_some());
    if !has_vnfm_control && tags.iter().any(|t| t == "vnfm-control") {
        let why = "needs the reference VNFM's control API (vnfm_control_url of the target file)";
        return Some(Verdict::NotApplicable(why.into()));
    }
    if let Some(why) = domain::data::not_applicable(tags, has_control, world::target()) {
        return Some(Verdict::NotApplicable(why));
    }
    if has_control && tags.iter().any(|t| t == "natural-duration") {
        let why = "the target has the control API: the @fault twin holds the operation in progress";
        return Some(Verdict::NotApplicable(why.into()));
    }
    let capabilities = &world::target()?.capabilities;
    for name in tags.iter().filter_map(|t| t.strip_prefix("cap:")) {
        match capabilities.claims(name) {
            Ok(true) => {}
            Ok(false) => {
                return Some(Verdict::NotApplicable(format!(
                    "the target does not claim the capability {name} ([capabilities] of its target file)"
                )))
            }
            Err(defect) => return Some(Verdict::Failed(defect)),
        }
    }
    None
}

/// The leak check of the whole cloud once every scenario is done (reference stack only).
async fn global_leaks(has_control: bool) -> Option<String> {
    let target = world::target()?;
    let control = target
        .control
        .as_ref()
        .filter(|_| target.reference && has_control)?;
    match leaks::global(control, &target.sol003).await {
        Ok(found) if found.is_empty() => None,
        Ok(found) => Some(format!(
            "global leak check: the cloud holds resources nothing accounts for: {}",
            found.join("; ")
        )),
        Err(error) => Some(format!("global leak check failed: {error}")),
    }
}

#[tokio::main]
async fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let concurrency = concurrency().unwrap_or_else(|error| {
        eprintln!("conformance: {error}");
        std::process::exit(2);
    });
    let target = match target::Target::from_env(&repo).await {
        Ok(target) => target,
        Err(error) => {
            eprintln!("conformance: cannot set up the target: {error}");
            std::process::exit(2);
        }
    };
    let has_control = target.control.is_some();
    let report_dir = target.report_dir.clone();
    let mut run = report::Run {
        target: target.label.clone(),
        capabilities: target.capabilities.statement(),
        started: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        suite_version: env!("CARGO_PKG_VERSION"),
        end_of_run: leftovers::EndOfRun::default(),
    };
    world::set_target(target);
    let target = world::target().expect("the target was just set");
    let before = leftovers::before(target).await;

    let mut cli = cucumber::cli::Opts::<
        cucumber::parser::basic::Cli,
        cucumber::runner::basic::Cli,
        cucumber::cli::Empty,
    >::parsed();
    let tag_filter = cli.tags_filter.take();
    let name_filter = cli.re_filter.take();
    let selected = move |feature: &gherkin::Feature, scenario: &gherkin::Scenario| match (
        &name_filter,
        &tag_filter,
    ) {
        (Some(name), _) => name.is_match(&scenario.name),
        (None, Some(filter)) => filter.eval(tags(feature, scenario).iter()),
        (None, None) => true,
    };

    let console = Conformance::cucumber()
        .with_writer(console::Console::default())
        .max_concurrent_scenarios(concurrency)
        .with_cli(cli)
        .before(|feature, _, scenario, world| {
            Box::pin(async move {
                world.scenario = scenario_stem(feature, scenario);
                world.label = format!("{} / {}", feature_label(feature), scenario_label(scenario));
                world.tags = tags(feature, scenario);
            })
        })
        .after(|feature, _, scenario, finished, world| {
            Box::pin(async move {
                let reference = world::target().is_some_and(|t| t.reference);
                let mut verdict = match finished {
                    ScenarioFinished::StepPassed => match world.as_ref().map(|w| w.warnings()) {
                        Some(warnings) if !warnings.is_empty() => Verdict::Warned(warnings),
                        _ => Verdict::Passed,
                    },
                    ScenarioFinished::StepSkipped => Verdict::Skipped,
                    ScenarioFinished::StepFailed(_, _, error) => {
                        let text = error.to_string();
                        // cucumber-rs words a step's `Err` as a panic; the message is ours.
                        let text = text
                            .strip_prefix("Step panicked. Captured output: ")
                            .map_or(text.clone(), str::to_string);
                        match text.contains(failure::INCONCLUSIVE) && !reference {
                            true => Verdict::Inconclusive(text),
                            false => Verdict::Failed(text),
                        }
                    }
                    ScenarioFinished::BeforeHookFailed(info) => {
                        Verdict::Failed(format!("before hook failed: {info:?}"))
                    }
                };
                let mut seconds = 0.0;
                let mut log = CleanUpLog::default();
                if let Some(world) = world {
                    seconds = world.started.elapsed().as_secs_f64();
                    world.settle(&mut log).await;
                    if world.target.reference {
                        if let Err(leak) = world.leak_check().await {
                            verdict = Verdict::Failed(leak.to_string());
                        }
                    }
                    world.remove_made(&mut log).await;
                    world.release_project(&mut log).await;
                    leftovers::note_made(&world.label, &world.registry.made);
                }
                report::record(ScenarioRecord {
                    feature: feature_label(feature),
                    name: scenario_label(scenario),
                    key: console::key(feature, scenario),
                    tags: tags(feature, scenario),
                    verdict,
                    seconds,
                    failed_step: None,
                    clean_up: log,
                });
            })
        })
        .filter_run(repo.join("features"), move |feature, _, scenario| {
            if !selected(feature, scenario) {
                return false;
            }
            let all_tags = tags(feature, scenario);
            let Some(verdict) = not_run(&all_tags, has_control) else {
                return true;
            };
            let record = ScenarioRecord {
                feature: feature_label(feature),
                name: scenario_label(scenario),
                key: console::key(feature, scenario),
                tags: all_tags,
                verdict,
                seconds: 0.0,
                failed_step: None,
                clean_up: CleanUpLog::default(),
            };
            print!("{}", console::line(&record));
            report::record(record);
            false
        })
        .await;

    let global_leak = global_leaks(has_control).await;
    run.end_of_run = leftovers::after(target, before).await;
    if let Some(problem) = global_leak {
        report::record(ScenarioRecord {
            feature: "The leak check".to_string(),
            name: "The whole cloud once every scenario is done (reference stack)".to_string(),
            key: ("(end of run)".to_string(), 0),
            tags: vec!["leak".to_string()],
            verdict: Verdict::Failed(problem),
            seconds: 0.0,
            failed_step: None,
            clean_up: CleanUpLog::default(),
        });
    }
    let records = report::records();
    let failed = console.parse_errors > 0 || records.iter().any(|r| r.verdict.fails_the_run());
    print!("{}", console::summary(&records, &run.end_of_run, failed));
    if let Err(error) = report::write(&report_dir, &run) {
        eprintln!(
            "conformance: cannot write the reports to {}: {error}",
            report_dir.display()
        );
    } else {
        println!("conformance: reports in {}", report_dir.display());
    }
    if failed {
        std::process::exit(1);
    }
}
