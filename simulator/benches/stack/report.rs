//! The figures of a run: a table on stdout and one JSON object in `$BENCH_OUT`.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// A figure compared with its target.
struct Target {
    key: String,
    value: f64,
    goal: &'static str,
    met: bool,
}

/// The figures of a run, the targets among them and notes.
#[derive(Default)]
pub struct Report {
    figures: Map<String, Value>,
    targets: Vec<Target>,
    notes: Vec<String>,
}

/// Rounds to three decimals for the JSON file.
fn rounded(value: f64) -> Value {
    serde_json::Number::from_f64((value * 1000.0).round() / 1000.0)
        .map_or(Value::Null, Value::Number)
}

impl Report {
    /// Records a raw figure.
    pub fn figure(&mut self, key: &str, value: f64) {
        self.figures.insert(key.to_string(), rounded(value));
    }

    /// Records a figure that has a target.
    pub fn target(&mut self, key: &str, value: f64, goal: &'static str, met: bool) {
        self.figure(key, value);
        self.targets.push(Target {
            key: key.to_string(),
            value,
            goal,
            met,
        });
    }

    /// Records a text (e.g. what the records are).
    pub fn note(&mut self, key: &str, text: String) {
        self.notes.push(format!("{key}: {text}"));
        self.figures.insert(key.to_string(), Value::String(text));
    }

    /// `$BENCH_OUT`, else `target/bench/results.json`; relative paths from the workspace root.
    fn out_path() -> PathBuf {
        let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let path =
            std::env::var("BENCH_OUT").unwrap_or_else(|_| "target/bench/results.json".into());
        workspace.join(path)
    }

    /// Prints the table and writes the JSON file; returns whether every target was met.
    pub fn finish(self) -> bool {
        println!();
        println!("{:<34} {:>14}", "figure", "value");
        for (key, value) in &self.figures {
            if let Value::Number(number) = value {
                println!("{key:<34} {:>14}", number.to_string());
            }
        }
        for note in &self.notes {
            println!("{note}");
        }
        println!();
        println!(
            "{:<34} {:>14} {:>10} {:>6}",
            "target", "value", "goal", "met"
        );
        for target in &self.targets {
            let met = if target.met { "yes" } else { "NO" };
            println!(
                "{:<34} {:>14.3} {:>10} {met:>6}",
                target.key, target.value, target.goal
            );
        }
        let path = Self::out_path();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the output directory");
        }
        let json = serde_json::to_string_pretty(&Value::Object(self.figures)).expect("JSON");
        std::fs::write(&path, json + "\n").expect("the output file");
        println!("\nwrote {}", path.display());
        self.targets.iter().all(|target| target.met)
    }
}
