//! The unit tests of the suite's self-contained helpers, run by cargo's own test harness (the
//! `conformance` target has its own `main` and runs no `#[test]`). The helpers are compiled
//! here from their own files.

#[path = "http/fields.rs"]
mod fields;

// What the data probe reports its failures with.
#[allow(dead_code)]
#[path = "failure.rs"]
mod failure;

#[path = "target/data_probe.rs"]
pub(crate) mod data_probe;

#[path = "domain/data/outage.rs"]
mod outage;

mod fields_rules {
    use reqwest::header::HeaderMap;

    use super::fields::*;

    fn base() -> url::Url {
        url::Url::parse("https://vnfm.example/vnflcm/v2/vnf_snapshots").unwrap()
    }

    #[test]
    fn next_link_reads_every_rfc_8288_form() {
        let cases = [
            (r#"<https://h/l?m=a,b>; rel="next""#, "https://h/l?m=a,b"),
            (r#"<https://h/l?m=ab>; rel=next"#, "https://h/l?m=ab"),
            (
                r#"<https://h/p>; rel="prev", <https://h/l?m=c>; rel="next""#,
                "https://h/l?m=c",
            ),
            (
                r#"<https://h/l?m=d>; title="a, b"; rel="next""#,
                "https://h/l?m=d",
            ),
            (
                r#"</vnflcm/v2/vnf_snapshots?m=e>; REL="Next""#,
                "https://vnfm.example/vnflcm/v2/vnf_snapshots?m=e",
            ),
            (r#"<https://h/l?m=f>; rel="last next""#, "https://h/l?m=f"),
        ];
        for (value, target) in cases {
            assert_eq!(
                next_link(value, &base()).as_deref(),
                Some(target),
                "{value}"
            );
        }
        assert_eq!(next_link(r#"<https://h/p>; rel="prev""#, &base()), None);
        assert_eq!(next_link("not a link", &base()), None);
    }

    #[test]
    fn media_types_compare_case_insensitively_with_parameters() {
        for json in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/problem+json",
            "APPLICATION/PROBLEM+JSON;charset=UTF-8",
        ] {
            assert!(is_json_media_type(json), "{json}");
        }
        for other in ["text/html", "application/xml", "application/jsonx", ""] {
            assert!(!is_json_media_type(other), "{other}");
        }
    }

    #[test]
    fn list_fields_combine_lines_and_skip_empty_elements() {
        let mut headers = HeaderMap::new();
        headers.append("allow", "GET".parse().unwrap());
        headers.append("allow", "PATCH, ,DELETE".parse().unwrap());
        let value = combined(&headers, "Allow").unwrap();
        assert_eq!(list_elements(&value), ["GET", "PATCH", "DELETE"]);
        assert_eq!(combined(&headers, "Link"), None);
    }
}

/// The target file's types, compiled from their own files (`steps/target/`). Only parsed here:
/// the suite reads their fields.
#[allow(dead_code)]
mod target {
    pub mod capabilities;
    pub mod config;
    pub(crate) use super::data_probe;
}

mod target_files {
    use super::target::config::TargetFile;

    /// Every target file the repository ships parses, with every capability key it sets.
    #[test]
    fn every_shipped_target_file_parses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("targets");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                if let Err(error) = toml::from_str::<TargetFile>(&text) {
                    panic!("{}: {error}", path.display());
                }
                seen += 1;
            }
        }
        assert!(seen >= 4, "only {seen} target files in {}", dir.display());
    }
}

mod outage_rules {
    use super::outage::*;

    fn change(at_ms: i64, status: &str, task: Option<&str>) -> ServerChange {
        ServerChange {
            at_ms,
            status: status.into(),
            task_state: task.map(str::to_string),
        }
    }

    #[test]
    fn a_snapshot_with_a_task_state_costs_nothing() {
        let track = ServerTrack {
            server_id: "s".into(),
            changes: vec![
                change(-500, "ACTIVE", None),
                change(10, "ACTIVE", Some("image_snapshot")),
                change(40, "ACTIVE", None),
            ],
            gone_ms: None,
        };
        let impact = vnfc_impact("v", &[track], 100);
        assert_eq!(impact.not_serving_ms, 0);
        assert_eq!(impact.segments.len(), 3);
        assert_eq!(impact.segments[1].state, "ACTIVE (image_snapshot)");
    }

    #[test]
    fn a_replaced_server_is_down_from_its_deletion_until_its_successor_is_active() {
        let old = ServerTrack {
            server_id: "old".into(),
            changes: vec![
                change(-10, "ACTIVE", None),
                change(20, "ACTIVE", Some("deleting")),
            ],
            gone_ms: Some(30),
        };
        let new = ServerTrack {
            server_id: "new".into(),
            changes: vec![
                change(50, "BUILD", Some("spawning")),
                change(80, "ACTIVE", None),
            ],
            gone_ms: None,
        };
        let impact = vnfc_impact("v", &[old, new], 100);
        let states: Vec<(u64, u64, &str, bool)> = impact
            .segments
            .iter()
            .map(|s| (s.from_ms, s.to_ms, s.state.as_str(), s.serving))
            .collect();
        assert_eq!(
            states,
            vec![
                (0, 20, "ACTIVE", true),
                (20, 30, "ACTIVE (deleting)", false),
                (30, 50, "replaced", false),
                (50, 80, "BUILD (spawning)", false),
                (80, 100, "ACTIVE", true),
            ]
        );
        assert_eq!(impact.not_serving_ms, 60);
        assert_eq!(impact.servers, ["old", "new"]);
    }

    #[test]
    fn a_server_gone_for_good_or_never_seen() {
        let gone = ServerTrack {
            server_id: "g".into(),
            changes: vec![change(-1, "ACTIVE", None)],
            gone_ms: Some(5),
        };
        let impact = vnfc_impact("v", &[gone], 10);
        assert_eq!(impact.segments.last().unwrap().state, "gone");
        assert_eq!(impact.not_serving_ms, 5);
        let impact = vnfc_impact("v", &[ServerTrack::default()], 10);
        assert_eq!(impact.segments[0].state, "absent");
        assert_eq!(impact.not_serving_ms, 10);
    }
}

mod data_probe_commands {
    use super::data_probe::*;

    fn target() -> ProbeTarget {
        ProbeTarget {
            server_id: "srv".into(),
            vnfc_id: "vnfc-1".into(),
            ips: vec!["10.0.0.5".into(), "10.0.1.5".into()],
        }
    }

    #[test]
    fn placeholders_are_replaced() {
        let probe = DataProbe {
            write: "ssh {ip} put {marker} # {server_id} {vnfc_id} {ips}".into(),
            read: String::new(),
            timeout_secs: 1,
        };
        assert_eq!(
            probe.command(&probe.write, &target(), "cm-x"),
            "ssh 10.0.0.5 put cm-x # srv vnfc-1 10.0.0.5 10.0.1.5"
        );
    }

    #[tokio::test]
    async fn read_answers_the_non_empty_lines_and_a_failing_command_times_out() {
        let probe = DataProbe {
            write: "exit 3".into(),
            read: "printf 'cm-a\\n\\n  cm-b \\n'".into(),
            timeout_secs: 1,
        };
        assert_eq!(probe.read(&target()).await.unwrap(), vec!["cm-a", "cm-b"]);
        let error = probe.write(&target(), "m").await.unwrap_err().to_string();
        assert!(error.contains("did not succeed"), "{error}");
    }
}
