//! The unit tests of the suite's self-contained helpers, run by cargo's own test harness (the
//! `conformance` target has its own `main` and runs no `#[test]`). The helpers are compiled
//! here from their own files.

#[path = "http/fields.rs"]
mod fields;

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
