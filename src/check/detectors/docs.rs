//! Documentation items: the docs site, its publication, the architecture diagram.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence};
use crate::check::filename::file_name;
use crate::check::{leftovers, plural};

/// Fewer words of prose than this over all its pages and a docs site is still a stub, like
/// a template's one-line page or an untouched Sphinx quick-start.
const MIN_PROSE_WORDS: usize = 30;

/// A docs site: its config, what it is, and its pages.
struct Site<'a> {
    config: &'a str,
    what: String,
    folder: String,
    pages: Vec<&'a str>,
}

/// The mkdocs sites (config + Markdown pages in its docs folder) and Sphinx projects
/// (`conf.py` in a docs folder + its `.rst`/`.md` pages).
fn sites<'a>(cx: &Context<'a>) -> Vec<Site<'a>> {
    let project = cx.project;
    let pages_in = |folder: &str, exts: &[&str]| -> Vec<&'a str> {
        project
            .paths()
            .filter(|p| p.starts_with(folder) && exts.iter().any(|e| p.ends_with(e)))
            .collect()
    };
    let mut found = Vec::new();
    for (path, text) in project.texts(|p| matches!(file_name(p), "mkdocs.yml" | "mkdocs.yaml")) {
        let Ok(doc) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
            continue;
        };
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let docs_dir = doc
            .get("docs_dir")
            .and_then(|d| d.as_str())
            .unwrap_or("docs");
        let folder = if dir.is_empty() {
            format!("{docs_dir}/")
        } else {
            format!("{dir}/{docs_dir}/")
        };
        let site = doc
            .get("site_name")
            .and_then(|s| s.as_str())
            .unwrap_or("unnamed site");
        found.push(Site {
            config: path,
            what: format!("mkdocs site \"{site}\""),
            pages: pages_in(&folder, &[".md"]),
            folder,
        });
    }
    for path in project
        .paths()
        .filter(|p| file_name(p) == "conf.py" && (p.starts_with("docs/") || p.starts_with("doc/")))
    {
        let folder = format!("{}/", path.rsplit_once('/').map_or("", |(d, _)| d));
        found.push(Site {
            config: path,
            what: "a Sphinx documentation project".to_string(),
            pages: pages_in(&folder, &[".rst", ".md"]),
            folder,
        });
    }
    found
}

/// Words of prose in a docs page: not headings, title underlines, code (fenced, and in
/// Markdown indented), directives and their bodies (`.. toctree::`, `::: module`), index
/// links, HTML comments, or paragraphs a docs tool wrote
/// ([`leftovers::GENERATED_DOC_PHRASES`]).
fn prose_words(text: &str, markdown: bool) -> usize {
    let underline = |l: &str| {
        let l = l.trim();
        l.len() >= 3 && l.chars().all(|c| "=-~^\"'`#*+".contains(c))
    };
    let lines: Vec<&str> = text.lines().collect();
    let generated = generated_lines(&lines);
    let mut words = 0;
    let mut skipping = false;
    let mut in_fence = false;
    let mut indented_code = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        // A Markdown code block: indented four spaces after a blank line (not a list's line).
        let code_indent = line.starts_with("    ") || line.starts_with('\t');
        let after_blank = i == 0 || lines[i - 1].trim().is_empty();
        indented_code = markdown && code_indent && (indented_code || after_blank);
        if skipping && (indented || trimmed.is_empty()) {
            continue;
        }
        skipping = trimmed.starts_with("..") || trimmed.starts_with(":::");
        let title = lines.get(i + 1).is_some_and(|next| underline(next));
        let link_only = trimmed.starts_with("* :ref:") || trimmed.starts_with("- :ref:");
        if in_fence
            || indented_code
            || generated[i]
            || skipping
            || title
            || underline(line)
            || link_only
        {
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with("<!--") {
            continue;
        }
        words += trimmed.split_whitespace().count();
    }
    words
}

/// Which of `lines` belong to a paragraph (lines between blank ones) a docs tool wrote.
fn generated_lines(lines: &[&str]) -> Vec<bool> {
    let mut generated = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let end = lines[start..]
            .iter()
            .position(|l| l.trim().is_empty())
            .map_or(lines.len(), |n| start + n);
        if lines[start..end].iter().any(|l| {
            leftovers::GENERATED_DOC_PHRASES
                .iter()
                .any(|p| l.contains(p))
        }) {
            generated[start..end].fill(true);
        }
        start = end + 1;
    }
    generated
}

pub fn docs(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    let mut partial = Vec::new();
    for site in sites(cx) {
        // Pages still as dayone's template wrote them describe the template, not the project.
        let own: Vec<&str> = site
            .pages
            .iter()
            .copied()
            .filter(|p| !cx.is_template_text(p))
            .collect();
        let words: usize = own
            .iter()
            .filter_map(|p| Some((p.ends_with(".md"), cx.project.text(p)?)))
            .map(|(markdown, text)| prose_words(text, markdown))
            .sum();
        let pages = plural::count(own.len(), "page", "pages");
        let (what, folder) = (&site.what, &site.folder);
        if words >= MIN_PROSE_WORDS {
            evidence.push(Evidence::new(
                site.config,
                format!("{what} with {pages} in {folder} ({words} words)"),
            ));
        } else if own.is_empty() && !site.pages.is_empty() {
            let n = site.pages.len();
            partial.push(Evidence::new(
                site.config,
                format!(
                    "{what}: {} in {folder} still as dayone's template wrote {}",
                    plural::count(n, "page", "pages"),
                    plural::word(n, "it", "them")
                ),
            ));
        } else {
            partial.push(Evidence::new(
                site.config,
                format!(
                    "{what}: still a stub, {} of prose in {folder}",
                    plural::count(words, "word", "words")
                ),
            ));
        }
    }
    if evidence.is_empty() && !partial.is_empty() {
        return Detection::Open {
            hint: "write the project's own documentation in the docs pages: what it does, how to install and run it".into(),
            partial,
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

/// The report question that asks for the diagram of the whole system (the course's number).
const ARCHITECTURE_QUESTION: usize = 29;
/// Words an image of the architecture is named with.
const DIAGRAM_WORDS: &[&str] = &[
    "architecture",
    "overview",
    "pipeline",
    "flowchart",
    "flow_chart",
    "scheme",
    "schema",
    "diagram",
];
const IMAGE_EXTENSIONS: &[&str] = &[".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".pdf"];

/// A link in the report, as a path in the project: relative to `reports/`, `./` and `../`
/// resolved; `None` when it leaves the project.
pub fn from_report(target: &str) -> Option<String> {
    let dir = crate::report::PATH.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(absolute) => return Some(absolute.to_string()),
        None => dir.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The diagram is wherever the report shows it: an image in the answer to the architecture
/// question, or a diagram file anywhere (draw.io, Excalidraw, an image named like one).
pub fn architecture_diagram(cx: &Context) -> Detection {
    let mut evidence = Vec::new();
    let mut partial = Vec::new();
    let shown = format!("the architecture answer (question {ARCHITECTURE_QUESTION}) shows");
    for (line, target) in cx.report.images(ARCHITECTURE_QUESTION) {
        let report = crate::report::PATH;
        if target.starts_with("http://") || target.starts_with("https://") {
            evidence.push(Evidence::at(report, line, format!("{shown} {target}")));
            continue;
        }
        match from_report(&target).filter(|p| cx.project.exists(p)) {
            Some(path) => match cx.course_figure(&path) {
                Some(figure) => partial.push(Evidence::at(
                    report,
                    line,
                    format!("{shown} {path}, which is {}, not the group's", figure.shows),
                )),
                None => evidence.push(Evidence::at(report, line, format!("{shown} {path}"))),
            },
            None => partial.push(Evidence::at(
                report,
                line,
                format!("the architecture answer links {target}, which is not in the repository"),
            )),
        }
    }
    for path in cx.project.paths() {
        let name = file_name(path).to_ascii_lowercase();
        let editable = [".drawio", ".excalidraw", ".puml", ".mmd"]
            .iter()
            .any(|e| name.contains(e));
        let image = IMAGE_EXTENSIONS.iter().any(|e| name.ends_with(e));
        let named = DIAGRAM_WORDS.iter().any(|w| name.contains(w));
        if editable {
            evidence.push(Evidence::new(path, "a diagram file"));
        } else if image && named {
            match cx.course_figure(path) {
                Some(figure) => partial.push(Evidence::new(
                    path,
                    format!("{}, not the group's", figure.shows),
                )),
                None => evidence.push(Evidence::new(
                    path,
                    "an image named like an architecture diagram",
                )),
            }
        }
    }
    if evidence.is_empty() {
        return Detection::Open {
            hint: format!(
                "draw the whole pipeline (e.g. with draw.io), save it under reports/figures/ and show it in the report's answer to question {ARCHITECTURE_QUESTION}"
            ),
            partial,
        };
    }
    Detection::Done(evidence)
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, on_github, project_with_git, run, run_in};

    const PAGE: &str = "# Proj\n\nProj sorts photos of leaves into healthy and sick ones. The data comes from a public set of field photos; training takes ten minutes on a laptop, and the API answers each request in a few milliseconds.\n";

    #[test]
    fn docs_need_a_config_and_pages() {
        let config = ("docs/mkdocs.yaml", "site_name: proj\ndocs_dir: source\n");
        match run("docs", &[config, ("docs/source/index.md", PAGE)]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "mkdocs site \"proj\" with 1 page in docs/source/ (37 words)"
            ),
            other => panic!("{other:?}"),
        }
        assert!(!is_done("docs", &[config]));
        assert!(!is_done("docs", &[("docs/source/index.md", PAGE)]));
    }

    #[test]
    fn a_one_line_page_or_a_sphinx_quick_start_is_a_stub() {
        let config = ("docs/mkdocs.yaml", "site_name: proj\ndocs_dir: source\n");
        match run(
            "docs",
            &[config, ("docs/source/index.md", "# Proj\n\nThe docs.\n")],
        ) {
            Detection::Open { partial, .. } => assert_eq!(
                partial[0].detail,
                "mkdocs site \"proj\": still a stub, 2 words of prose in docs/source/"
            ),
            other => panic!("{other:?}"),
        }
        let quick_start = "Welcome to proj's documentation!\n================================\n\n.. toctree::\n   :maxdepth: 2\n   :caption: Contents:\n\n\n\nIndices and tables\n==================\n\n* :ref:`genindex`\n* :ref:`modindex`\n* :ref:`search`\n";
        let sphinx = [
            ("docs/conf.py", "project = 'proj'\n"),
            ("docs/index.rst", quick_start),
        ];
        assert!(!is_done("docs", &sphinx));
        let written = format!("{quick_start}\n{}", &PAGE[8..]);
        assert!(is_done(
            "docs",
            &[sphinx[0], ("docs/index.rst", written.as_str())]
        ));
    }

    /// The pages `mkdocs new` and cookiecutter-data-science write describe the tools, not the
    /// project: a site of only those is a stub, and the group's own paragraphs count beside them.
    #[test]
    fn generated_quick_start_pages_are_leftovers() {
        let config = ("mkdocs.yml", "site_name: leafs\n");
        let quick_start = "# Welcome to MkDocs\n\nFor full documentation visit [mkdocs.org](https://www.mkdocs.org).\n\n## Commands\n\n* `mkdocs new [dir-name]` - Create a new project.\n* `mkdocs serve` - Start the live-reloading docs server.\n* `mkdocs build` - Build the documentation site.\n* `mkdocs -h` - Print help message and exit.\n\n## Project layout\n\n    mkdocs.yml    # The configuration file.\n    docs/\n        index.md  # The documentation homepage.\n        ...       # Other markdown pages, images, vids, docs, etc.\n";
        match run("docs", &[config, ("docs/index.md", quick_start)]) {
            Detection::Open { partial, .. } => assert_eq!(
                partial[0].detail,
                "mkdocs site \"leafs\": still a stub, 0 words of prose in docs/"
            ),
            other => panic!("{other:?}"),
        }
        let written = format!("{quick_start}\n{}", &PAGE[8..]);
        assert!(is_done(
            "docs",
            &[config, ("docs/index.md", written.as_str())]
        ));
        let sphinx = [
            ("docs/conf.py", "project = 'leafs'\n"),
            (
                "docs/getting-started.rst",
                "Getting started\n===============\n\nThis is where you describe how to get set up on a clean install, including the\ncommands necessary to get the raw data (using the `sync_data_from_s3` command,\nfor example), and then how to make the cleaned, final data sets.\n",
            ),
            (
                "docs/commands.rst",
                "Commands\n========\n\nThe Makefile contains the central entry points for common tasks related to this project.\n\nSyncing data to S3\n^^^^^^^^^^^^^^^^^^\n\n* `make sync_data_to_s3` will use `aws s3 sync` to recursively sync files in `data/` up to `s3://bucket/data/`.\n* `make sync_data_from_s3` will use `aws s3 sync` to recursively sync files from `s3://bucket/data/` to `data/`.\n",
            ),
        ];
        assert!(!is_done("docs", &sphinx));
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
        let written = "# Leaf doctor\n\nLeaf doctor tells a healthy leaf from a sick one, from a single photo taken in the field.\n\nInstall it with `uv sync`, then train with `invoke train` on the photos in data/raw.\nThe API answers on port 8000.\n";
        let mut files = files.to_vec();
        files[2] = ("docs/source/index.md", written);
        match run("docs", &files) {
            Detection::Done(ev) => assert!(
                ev[0].detail.contains("with 1 page in docs/source/"),
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
    fn the_diagram_is_wherever_the_report_shows_it() {
        let mut report = String::from("# Report\n\n");
        for n in 1..=31 {
            let answer = match n {
                29 => {
                    "![how it fits together](figures/our_system.png)\n\n![gone](./figures/missing.png)"
                }
                _ => "words",
            };
            report.push_str(&format!("### Question {n}\n\n> Answer:\n\n{answer}\n\n"));
        }
        let files = [
            ("reports/README.md", report.as_str()),
            ("reports/figures/our_system.png", ""),
        ];
        match run("architecture_diagram", &files) {
            Detection::Done(ev) => {
                assert_eq!(ev.len(), 1);
                assert_eq!(ev[0].path, "reports/README.md");
                assert_eq!(
                    ev[0].detail,
                    "the architecture answer (question 29) shows reports/figures/our_system.png"
                );
            }
            other => panic!("{other:?}"),
        }
        match run("architecture_diagram", &files[..1]) {
            Detection::Open { partial, .. } => assert_eq!(partial.len(), 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            super::from_report("../docs/a.png").as_deref(),
            Some("docs/a.png")
        );
        assert_eq!(super::from_report("../../x.png"), None);
    }

    /// The course's example figures sit in every group's reports/figures/: never the
    /// group's diagram, neither by name nor shown in the architecture answer. (The table of
    /// known figures is swapped for a synthetic one: the course's bytes are not in the repo.)
    #[test]
    fn the_courses_example_figure_is_not_the_groups_diagram() {
        use crate::check::course_figures::{CourseFigure, blob_id};
        use crate::check::project::Project;
        let dir = tempfile::tempdir().unwrap();
        let example = b"\x89PNG\r\n\x1a\n the course's overview, as copied".to_vec();
        let mut report = String::from("# Report\n\n");
        for n in 1..=31 {
            let answer = if n == 29 {
                "![our system](figures/overview.png)"
            } else {
                "words"
            };
            report.push_str(&format!("### Question {n}\n\n> Answer:\n\n{answer}\n\n"));
        }
        fs_err::create_dir_all(dir.path().join("reports/figures")).unwrap();
        fs_err::write(dir.path().join("reports/README.md"), &report).unwrap();
        fs_err::write(dir.path().join("reports/figures/overview.png"), &example).unwrap();
        let mut project = Project::scan(dir.path()).unwrap();
        project.course_figures = vec![CourseFigure {
            name: "overview.png",
            shows: "the course's example architecture diagram",
            size: example.len() as u64,
            blob: Box::leak(blob_id(&example).into_boxed_str()),
        }];
        match run_in(&project, "architecture_diagram") {
            Detection::Open { partial, .. } => {
                let details: Vec<&str> = partial.iter().map(|e| e.detail.as_str()).collect();
                assert_eq!(
                    details,
                    [
                        "the architecture answer (question 29) shows reports/figures/overview.png, which is the course's example architecture diagram, not the group's",
                        "the course's example architecture diagram, not the group's"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        // The group's own drawing under the same name is the group's.
        fs_err::write(
            dir.path().join("reports/figures/overview.png"),
            b"\x89PNG our own",
        )
        .unwrap();
        assert!(matches!(
            run_in(&project, "architecture_diagram"),
            Detection::Done(_)
        ));
    }

    #[test]
    fn diagrams_are_found_by_name_and_place() {
        assert!(is_done(
            "architecture_diagram",
            &[("reports/figures/overview.png", "")]
        ));
        assert!(is_done("architecture_diagram", &[("pipeline.drawio", "")]));
        assert!(is_done(
            "architecture_diagram",
            &[("assets/mlops_flowchart.svg", "")]
        ));
        assert!(!is_done(
            "architecture_diagram",
            &[("reports/figures/loss.png", "")]
        ));
    }
}
