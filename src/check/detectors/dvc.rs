//! Data version control: DVC set up with tracked data, and its remote in a GCP bucket.

use super::{Context, Detection, Evidence};
use crate::check::filename::file_name;
use crate::check::{ini, plural};

/// What a `.dvc` pointer file tracks (`outs[].path`).
fn dvc_outs(text: &str) -> Vec<String> {
    let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
        return Vec::new();
    };
    doc.get("outs")
        .and_then(|o| o.as_sequence())
        .into_iter()
        .flatten()
        .filter_map(|out| out.get("path")?.as_str().map(str::to_string))
        .collect()
}

/// The configs of DVC in the project: `.dvc/config` when `dvc init` ran at the top, and
/// `data/.dvc/config` when it ran in the data folder (its pointer files then sit in `data/`).
const DVC_CONFIGS: &[&str] = &[".dvc/config", "data/.dvc/config"];

/// Where DVC is set up: `(its folder, its remotes)`.
fn dvc_setups(cx: &Context) -> Vec<(&'static str, Vec<(String, String)>)> {
    DVC_CONFIGS
        .iter()
        .filter_map(|config| {
            let folder = config.trim_end_matches("config");
            let exists =
                cx.project.exists(config) || cx.project.has_dir(folder.trim_end_matches('/'));
            exists.then(|| {
                let remotes = cx
                    .project
                    .text(config)
                    .map(ini::remotes)
                    .unwrap_or_default();
                (folder, remotes)
            })
        })
        .collect()
}

pub fn data_version_control(cx: &Context) -> Detection {
    let config: Vec<Evidence> = dvc_setups(cx)
        .into_iter()
        .map(|(folder, remotes)| {
            let detail = match remotes.first() {
                Some((name, url)) => format!("DVC is set up, with the remote `{name}` → {url}"),
                None => "DVC is set up (no remote yet)".to_string(),
            };
            Evidence::new(folder, detail)
        })
        .collect();
    Detection::all_of(vec![
        (config, "run `dvc init` and commit the .dvc/ folder"),
        (
            tracked_data(cx),
            "track the data with `dvc add data/…` and commit the .dvc file it writes",
        ),
    ])
}

/// What DVC tracks: each `.dvc` pointer file with `outs`, and each `dvc.yaml` with stages.
pub fn tracked_data(cx: &Context) -> Vec<Evidence> {
    let p = cx.project;
    let mut tracked = Vec::new();
    for (path, text) in p.texts(|path| path.ends_with(".dvc") && !path.contains(".dvc/")) {
        let outs = dvc_outs(text);
        if !outs.is_empty() {
            tracked.push(Evidence::new(path, format!("tracks {}", outs.join(", "))));
        }
    }
    for (path, text) in p.texts(|path| file_name(path) == "dvc.yaml") {
        if let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
            let stages = doc
                .get("stages")
                .and_then(|s| s.as_mapping())
                .map_or(0, |m| m.len());
            if stages > 0 {
                tracked.push(Evidence::new(
                    path,
                    format!(
                        "a DVC pipeline with {}",
                        plural::count(stages, "stage", "stages")
                    ),
                ));
            }
        }
    }
    tracked
}

/// "Store the data in a bucket": a `gs://` remote and something DVC tracks to push there.
pub fn gcs_data_remote(cx: &Context) -> Detection {
    let buckets = dvc_setups(cx)
        .into_iter()
        .flat_map(|(folder, remotes)| {
            remotes
                .into_iter()
                .filter(|(_, url)| url.starts_with("gs://"))
                .map(move |(name, url)| {
                    Evidence::new(
                        format!("{folder}config"),
                        format!("the DVC remote `{name}` is the bucket {url}"),
                    )
                })
        })
        .collect();
    Detection::all_of(vec![
        (
            buckets,
            "point a DVC remote at a GCP bucket: `dvc remote add -d storage gs://<bucket>` and `dvc push`",
        ),
        (
            tracked_data(cx),
            "track the data with `dvc add data/…`, commit the .dvc file and `dvc push` it to the bucket",
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::super::fixture::is_done;

    /// `dvc init` run inside `data/`: its config and pointers live there.
    #[test]
    fn dvc_rooted_in_the_data_folder() {
        let config = (
            "data/.dvc/config",
            "[core]\n    remote = gcs\n['remote \"gcs\"']\n    url = gs://leafs-data\n",
        );
        let pointer = ("data/raw.dvc", "outs:\n- md5: abc.dir\n  path: raw\n");
        assert!(is_done("data_version_control", &[config, pointer]));
        assert!(is_done("gcs_data_remote", &[config, pointer]));
        assert!(!is_done("data_version_control", &[pointer]));
    }

    #[test]
    fn dvc_needs_config_and_tracked_data() {
        let config =
            "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket-data\n";
        let pointer = "outs:\n- md5: abc.dir\n  path: data\n";
        assert!(is_done(
            "data_version_control",
            &[(".dvc/config", config), ("data.dvc", pointer)]
        ));
        assert!(!is_done("data_version_control", &[(".dvc/config", config)]));
        assert!(!is_done("data_version_control", &[("data.dvc", pointer)]));
        assert!(is_done(
            "data_version_control",
            &[
                (".dvc/config", ""),
                ("dvc.yaml", "stages:\n  prepare:\n    cmd: python x.py\n")
            ]
        ));
        // Storing the data in the bucket needs data to store: a remote alone is partial.
        assert!(!is_done("gcs_data_remote", &[(".dvc/config", config)]));
        assert!(is_done(
            "gcs_data_remote",
            &[(".dvc/config", config), ("data.dvc", pointer)]
        ));
        let local = "['remote \"local\"']\n    url = /tmp/dvcstore\n";
        assert!(!is_done(
            "gcs_data_remote",
            &[(".dvc/config", local), ("data.dvc", pointer)]
        ));
    }
}
