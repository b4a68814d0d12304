//! Documentation items: the docs site, its publication, the architecture diagram.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence};
use crate::check::plural;
use crate::check::project::file_name;

pub fn docs(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    for (path, text) in cx
        .project
        .texts(|p| matches!(file_name(p), "mkdocs.yml" | "mkdocs.yaml"))
    {
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
            continue;
        };
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let docs_dir = doc
            .get("docs_dir")
            .and_then(|d| d.as_str())
            .unwrap_or("docs");
        let prefix = if dir.is_empty() {
            format!("{docs_dir}/")
        } else {
            format!("{dir}/{docs_dir}/")
        };
        let pages = cx
            .project
            .paths()
            .filter(|p| p.starts_with(&prefix) && p.ends_with(".md"))
            .count();
        let site = doc
            .get("site_name")
            .and_then(|s| s.as_str())
            .unwrap_or("unnamed site");
        if pages > 0 {
            evidence.push(Evidence::new(
                path,
                format!(
                    "mkdocs site \"{site}\" with {} in {prefix}",
                    plural::count(pages, "page", "pages")
                ),
            ));
        }
    }
    for path in ["docs/conf.py", "docs/source/conf.py"] {
        if cx.project.exists(path) {
            evidence.push(Evidence::new(path, "a Sphinx documentation project"));
        }
    }
    Detection::from_evidence(
        evidence,
        "write docs with mkdocs: a mkdocs.yaml and Markdown pages (docs/source/index.md)",
    )
}

static GH_DEPLOY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bmkdocs\s+gh-deploy\b").expect("valid regex"));

pub fn docs_published(cx: &Context) -> Detection {
    let mut evidence = cx.commands_matching(&GH_DEPLOY);
    for wf in &cx.workflows {
        for (job, step) in wf.steps() {
            let Some(action) = step.action() else {
                continue;
            };
            if matches!(
                action,
                "actions/deploy-pages"
                    | "peaceiris/actions-gh-pages"
                    | "JamesIves/github-pages-deploy-action"
            ) {
                evidence.push(Evidence::new(
                    &wf.path,
                    format!("job `{}` deploys to GitHub Pages ({action})", job.id),
                ));
            }
        }
    }
    Detection::from_evidence(
        evidence,
        "publish the docs to GitHub Pages: a workflow with actions/deploy-pages, or `mkdocs gh-deploy` in a task",
    )
}

pub fn architecture_diagram(cx: &Context) -> Detection {
    let evidence = cx
        .project
        .paths()
        .filter(|p| {
            let name = file_name(p).to_ascii_lowercase();
            let editable = name.ends_with(".drawio") || name.ends_with(".excalidraw");
            let image = [".png", ".jpg", ".jpeg", ".svg"]
                .iter()
                .any(|e| name.ends_with(e));
            let named = ["architecture", "overview", "pipeline", "diagram"]
                .iter()
                .any(|w| name.contains(w));
            editable || (image && named && (p.starts_with("reports/") || p.starts_with("docs/")))
        })
        .map(|p| Evidence::new(p, "an architecture diagram"))
        .collect();
    Detection::from_evidence(
        evidence,
        "draw the pipeline (e.g. with draw.io) and save it as reports/figures/overview.png",
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixture::is_done;

    #[test]
    fn docs_need_a_config_and_pages() {
        let config = ("docs/mkdocs.yaml", "site_name: proj\ndocs_dir: source\n");
        assert!(is_done(
            "docs",
            &[config, ("docs/source/index.md", "# Proj\n")]
        ));
        assert!(!is_done("docs", &[config]));
        assert!(!is_done("docs", &[("docs/source/index.md", "# Proj\n")]));
    }

    #[test]
    fn publishing_needs_a_pages_deploy() {
        assert!(is_done(
            "docs_published",
            &[(
                "tasks.py",
                "c.run('mkdocs gh-deploy --config-file docs/mkdocs.yaml')\n"
            )]
        ));
        let wf = (
            ".github/workflows/docs.yaml",
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/deploy-pages@v4\n",
        );
        assert!(is_done("docs_published", &[wf]));
        let build_only = (
            ".github/workflows/docs.yaml",
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mkdocs build\n",
        );
        assert!(!is_done("docs_published", &[build_only]));
    }

    #[test]
    fn diagrams_are_found_by_name_and_place() {
        assert!(is_done(
            "architecture_diagram",
            &[("reports/figures/overview.png", "")]
        ));
        assert!(is_done("architecture_diagram", &[("pipeline.drawio", "")]));
        assert!(!is_done(
            "architecture_diagram",
            &[("reports/figures/loss.png", "")]
        ));
    }
}
