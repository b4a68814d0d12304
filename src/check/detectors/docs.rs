//! Documentation items: the docs site, its publication, the architecture diagram.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence};
use crate::check::plural;
use crate::check::project::file_name;

pub fn docs(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    let mut template_pages = Vec::new();
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
        let pages: Vec<&str> = cx
            .project
            .paths()
            .filter(|p| p.starts_with(&prefix) && p.ends_with(".md"))
            .collect();
        // Pages still as dayone's template wrote them describe the template, not the project.
        let written = pages.iter().filter(|p| !cx.is_template_text(p)).count();
        let site = doc
            .get("site_name")
            .and_then(|s| s.as_str())
            .unwrap_or("unnamed site");
        if written > 0 {
            evidence.push(Evidence::new(
                path,
                format!(
                    "mkdocs site \"{site}\" with {} in {prefix}",
                    plural::count(written, "page", "pages")
                ),
            ));
        } else if !pages.is_empty() {
            template_pages.push(Evidence::new(
                path,
                format!(
                    "mkdocs site \"{site}\": {} in {prefix} still as dayone's template wrote {}",
                    plural::count(pages.len(), "page", "pages"),
                    plural::word(pages.len(), "it", "them")
                ),
            ));
        }
    }
    for path in ["docs/conf.py", "docs/source/conf.py"] {
        if cx.project.exists(path) {
            evidence.push(Evidence::new(path, "a Sphinx documentation project"));
        }
    }
    if evidence.is_empty() && !template_pages.is_empty() {
        return Detection::Open {
            hint: "write the project's own documentation in the docs pages: what it does, how to install and run it".into(),
            partial: template_pages,
        };
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
    // Publishing happens on GitHub: a deploy step shows it once the repository is there.
    Detection::all_of(vec![
        (
            evidence,
            "publish the docs to GitHub Pages: a workflow with actions/deploy-pages, or `mkdocs gh-deploy` in a task",
        ),
        (
            super::repo::github_remotes(cx),
            "push the repository to GitHub, where the deploy step publishes the pages",
        ),
    ])
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
    use super::super::Detection;
    use super::super::fixture::{is_done, on_github, project_with_git, run, run_in};

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
    fn the_templates_own_pages_are_not_the_projects_docs() {
        use super::super::fixture::{DAYONE_TOML, builtin_file};
        let config = builtin_file("docs/mkdocs.yaml");
        let index = builtin_file("docs/source/index.md");
        let api = builtin_file("docs/source/api.md");
        let files = [
            DAYONE_TOML,
            ("docs/mkdocs.yaml", config.as_str()),
            ("docs/source/index.md", index.as_str()),
            ("docs/source/api.md", api.as_str()),
        ];
        match run("docs", &files) {
            Detection::Open { partial, .. } => {
                assert!(
                    partial[0]
                        .detail
                        .contains("2 pages in docs/source/ still as dayone's template wrote them"),
                    "{partial:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        let written = "# Leaf doctor\n\nLeaf doctor tells a healthy leaf from a sick one.\n\nInstall it with `uv sync`, then train with `invoke train`.\nThe API answers on port 8000.\n";
        let mut files = files.to_vec();
        files[2] = ("docs/source/index.md", written);
        match run("docs", &files) {
            Detection::Done(ev) => assert!(
                ev[0].detail.ends_with("with 1 page in docs/source/"),
                "{ev:?}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn publishing_needs_a_pages_deploy_and_github() {
        let published = |files: &[(&str, &str)]| {
            let project = project_with_git(files, on_github());
            matches!(run_in(&project, "docs_published"), Detection::Done(_))
        };
        let task = (
            "tasks.py",
            "c.run('mkdocs gh-deploy --config-file docs/mkdocs.yaml')\n",
        );
        assert!(published(&[task]));
        let wf = (
            ".github/workflows/docs.yaml",
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/deploy-pages@v4\n",
        );
        assert!(published(&[wf]));
        let build_only = (
            ".github/workflows/docs.yaml",
            "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mkdocs build\n",
        );
        assert!(!published(&[build_only]));
        // Without a GitHub repository the deploy step has never run.
        match run("docs_published", &[wf]) {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("GitHub"), "{hint}");
                assert_eq!(partial.len(), 1);
            }
            other => panic!("{other:?}"),
        }
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
