//! Monitoring the deployed service in the cloud, and alerts: config files, commands, and the
//! screenshots of the cloud console the report shows.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope};
use crate::check::filename::file_name;

/// Config files (YAML, JSON, Terraform) containing any of `needles`, as evidence.
fn config_mentioning(cx: &Context, needles: &[&str], what: &str) -> Vec<Evidence> {
    cx.project
        .texts(|p| {
            [".yaml", ".yml", ".json", ".tf"]
                .iter()
                .any(|ext| p.ends_with(ext))
        })
        .filter_map(|(path, text)| {
            let needle = needles.iter().find(|n| text.contains(*n))?;
            Some(Evidence::new(path, format!("{what} (`{needle}`)")))
        })
        .collect()
}

/// Images under `reports/figures/` whose name holds one of `words`: screenshots of work done
/// in a cloud console, which no other file shows.
fn screenshots(cx: &Context, words: &[&str], what: &str) -> Vec<Evidence> {
    cx.project
        .paths()
        .filter(|p| p.starts_with("reports/figures/"))
        .filter(|p| {
            let name = p.to_ascii_lowercase();
            [".png", ".jpg", ".jpeg"].iter().any(|e| name.ends_with(e))
                && words.iter().any(|w| file_name(&name).contains(w))
                && cx.course_figure(p).is_none()
        })
        .map(|p| Evidence::new(p, format!("a screenshot of {what}")))
        .collect()
}

/// The report question about monitoring the deployed model (the course's number).
const MONITORING_QUESTION: usize = 26;

/// Screenshots the monitoring answer shows whose alt text, name or paragraph names one of
/// `words` (`alert`, `dashboard` …): work in the cloud console that no other file shows. The
/// course's example figures are never one.
fn report_screenshots(cx: &Context, words: &Regex, what: &str) -> Vec<Evidence> {
    cx.report
        .figures(MONITORING_QUESTION)
        .into_iter()
        .filter(|f| words.is_match(&f.context))
        .filter_map(|f| {
            let path = super::docs::from_report(&f.target).filter(|p| cx.project.exists(p))?;
            cx.course_figure(&path).is_none().then(|| {
                Evidence::at(
                    crate::report::PATH,
                    f.line,
                    format!("the monitoring answer (question {MONITORING_QUESTION}) shows {what}: {path}"),
                )
            })
        })
        .collect()
}

static ALERT_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i-u)alert|notification|incident").expect("valid regex"));
static MONITORING_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)dashboard|monitoring|metrics\s+explorer|latency|request\s+count")
        .expect("valid regex")
});

pub fn cloud_monitoring(cx: &Context) -> Detection {
    let mut evidence = config_mentioning(
        cx,
        &[
            "cloud-run-gmp-sidecar",
            "PodMonitoring",
            "google_monitoring_dashboard",
            "monitoring.googleapis.com",
        ],
        "sends metrics to Google Cloud Monitoring",
    );
    evidence.extend(cx.python_referring(
        Scope::Code,
        &[
            "google.cloud.monitoring_v3",
            "opentelemetry.exporter.cloud_monitoring",
        ],
        "writes metrics to Google Cloud Monitoring",
    ));
    evidence.extend(screenshots(
        cx,
        &["monitoring", "dashboard"],
        "the monitoring in the cloud",
    ));
    evidence.extend(report_screenshots(
        cx,
        &MONITORING_WORDS,
        "the monitoring in the cloud",
    ));
    Detection::from_evidence(
        evidence,
        "collect the API's metrics in Cloud Monitoring (e.g. the managed-Prometheus sidecar on Cloud Run) and keep its config in the repository",
    )
}

static ALERT_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"gcloud\s+(alpha\s+|beta\s+)?monitoring\s+policies\s+create").expect("valid regex")
});

pub fn cloud_alerts(cx: &Context) -> Detection {
    let mut evidence = config_mentioning(
        cx,
        &[
            "google_monitoring_alert_policy",
            "alertPolicies",
            "notificationChannels",
        ],
        "an alert policy",
    );
    evidence.extend(cx.commands_matching(&ALERT_COMMAND));
    evidence.extend(cx.documented_matching(&ALERT_COMMAND));
    evidence.extend(screenshots(cx, &["alert"], "the alerts in the cloud"));
    evidence.extend(report_screenshots(
        cx,
        &ALERT_WORDS,
        "the alerts in the cloud",
    ));
    Detection::from_evidence(
        evidence,
        "create a GCP alert policy and keep it in the repository (policy JSON/YAML, Terraform, or a `gcloud monitoring policies create` step)",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    /// Alert policies and dashboards shown only in the monitoring answer's screenshots.
    #[test]
    fn monitoring_and_alerts_shown_in_the_report() {
        let report = |answer: &str| {
            let mut text = String::from("# Report\n\n");
            for n in 1..=31 {
                let body = if n == 26 { answer } else { "words" };
                text.push_str(&format!("### Question {n}\n\n> Answer:\n\n{body}\n\n"));
            }
            text
        };
        let alerts = report(
            "We monitor the API in Cloud Monitoring.\nAn alert policy mails us when the error rate goes up:\n\n![](figures/q26_policy.png)\n\n![the request count dashboard](figures/q26_board.png)",
        );
        let files = [
            ("reports/README.md", alerts.as_str()),
            ("reports/figures/q26_policy.png", ""),
            ("reports/figures/q26_board.png", ""),
        ];
        match run("cloud_alerts", &files) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "the monitoring answer (question 26) shows the alerts in the cloud: reports/figures/q26_policy.png"
            ),
            other => panic!("{other:?}"),
        }
        match run("cloud_monitoring", &files) {
            Detection::Done(ev) => assert!(
                ev.iter().any(|e| e.detail
                    == "the monitoring answer (question 26) shows the monitoring in the cloud: reports/figures/q26_board.png"),
                "{ev:?}"
            ),
            other => panic!("{other:?}"),
        }
        // A figure the repository does not hold, or one about something else, shows nothing.
        assert!(!is_done("cloud_alerts", &files[..1]));
        let loss = report("Our training loss:\n\n![loss](figures/loss.png)");
        assert!(!is_done(
            "cloud_alerts",
            &[
                ("reports/README.md", loss.as_str()),
                ("reports/figures/loss.png", "")
            ]
        ));
    }

    #[test]
    fn monitoring_and_alerts_from_config_files() {
        assert!(is_done(
            "cloud_monitoring",
            &[(
                "service.yaml",
                "containers:\n- image: us-docker.pkg.dev/cloud-ops-agents-artifacts/cloud-run-gmp-sidecar/cloud-run-gmp-sidecar:1.1.1\n"
            )]
        ));
        assert!(!is_done(
            "cloud_monitoring",
            &[("service.yaml", "containers: []\n")]
        ));
        assert!(is_done(
            "cloud_alerts",
            &[(
                "monitoring/policy.json",
                "{\"displayName\": \"x\", \"notificationChannels\": []}"
            )]
        ));
        assert!(is_done(
            "cloud_alerts",
            &[(
                "tasks.py",
                "c.run('gcloud alpha monitoring policies create --policy-from-file=p.yaml')\n"
            )]
        ));
        assert!(!is_done("cloud_alerts", &[]));
    }
}
