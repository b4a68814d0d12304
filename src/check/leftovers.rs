//! What other project templates and tools write into a new project, recognised by its shape,
//! so it is not counted as the group's work: cookiecutter-data-science (the course's layout
//! until 2023), the course's own cookiecutter template, `mkdocs new`, `pre-commit
//! sample-config`. (Files dayone's own template wrote are told apart exactly, by
//! [`template_text`](super::template_text); the course's example figures by
//! [`course_figures`](super::course_figures).)

use std::sync::LazyLock;

use regex::Regex;

/// Phrases of the pages documentation tools write into a new site: `mkdocs new`'s home page
/// and the pages of cookiecutter-data-science's Sphinx docs. A paragraph holding one
/// describes the tool, not the project.
pub const GENERATED_DOC_PHRASES: &[&str] = &[
    "For full documentation visit [mkdocs.org]",
    "`mkdocs new [dir-name]`",
    "describe how to get set up on a clean install",
    "central entry points for common tasks",
    "`make sync_data_to_s3`",
];

/// The hooks `pre-commit sample-config` writes, all from pre-commit-hooks. The course's
/// template ships exactly these.
const SAMPLE_HOOKS: &[&str] = &[
    "trailing-whitespace",
    "end-of-file-fixer",
    "check-yaml",
    "check-added-large-files",
];

/// True when a pre-commit config (`(repository, hook ids)` per entry) is pre-commit's sample:
/// only pre-commit-hooks, only the sample's hooks.
pub fn is_sample_pre_commit(repos: &[(String, Vec<String>)]) -> bool {
    !repos.is_empty()
        && repos.iter().all(|(url, hooks)| {
            url.trim_end_matches('/')
                .ends_with("pre-commit/pre-commit-hooks")
                && hooks.iter().all(|h| SAMPLE_HOOKS.contains(&h.as_str()))
        })
}

/// Linter settings that only bound line length or complexity: what templates write (the
/// course's `[tool.ruff] line-length = 120`, cookiecutter-data-science's `[flake8]` in
/// `tox.ini`). They configure a linter without choosing any rule.
pub const BARE_LINTER_SETTINGS: &[&str] = &[
    "line-length",
    "line_length",
    "max-line-length",
    "max_line_length",
    "max-complexity",
    "max_complexity",
];

/// The rule selection the course's template wrote into `[tool.ruff.lint]` in 2025–26.
const COURSE_RUFF_SELECT: &[&str] = &["I", "N", "E", "W"];

/// True when a `select` list is the course template's.
pub fn is_course_ruff_select(select: &[&str]) -> bool {
    select == COURSE_RUFF_SELECT
}

/// The targets of cookiecutter-data-science's Makefile (its 2016–2023 versions).
const CCDS_TARGETS: &[&str] = &[
    "requirements",
    "data",
    "clean",
    "lint",
    "sync_data_to_s3",
    "sync_data_from_s3",
    "create_environment",
    "test_environment",
    "help",
    ".PHONY",
    ".DEFAULT_GOAL",
];

static MAKE_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)^([A-Za-z0-9_.\-]+)\s*:((?u:[^=])|$)").expect("valid regex")
});

/// True when a Makefile is cookiecutter-data-science's, as generated: it has the S3 sync
/// target and no target of the group's own.
pub fn is_ccds_makefile(text: &str) -> bool {
    let targets: Vec<&str> = text
        .lines()
        .filter_map(|line| MAKE_TARGET.captures(line))
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .collect();
    targets.contains(&"sync_data_to_s3") && targets.iter().all(|t| CCDS_TARGETS.contains(t))
}

/// The image builds of the course template's `docker_build` task (2024–26): `train` and
/// `api` tagged `latest` from `dockerfiles/`, with or without `--progress`.
static COURSE_DOCKER_TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)docker build -t (train|api):latest \. -f dockerfiles/(train|api)\.[dD]ockerfile( --progress=\{progress\})?\b",
    )
    .expect("valid regex")
});

/// True when a command line is one the course template's tasks write.
pub fn is_course_task_command(line: &str) -> bool {
    COURSE_DOCKER_TASK.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_pre_commit_config_is_told_from_a_chosen_one() {
        let repo = |url: &str, hooks: &[&str]| {
            (
                url.to_string(),
                hooks.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
            )
        };
        let sample = repo(
            "https://github.com/pre-commit/pre-commit-hooks",
            &["trailing-whitespace", "end-of-file-fixer", "check-yaml"],
        );
        assert!(is_sample_pre_commit(std::slice::from_ref(&sample)));
        let ruff = repo("https://github.com/astral-sh/ruff-pre-commit", &["ruff"]);
        assert!(!is_sample_pre_commit(&[sample.clone(), ruff]));
        let more = repo(
            "https://github.com/pre-commit/pre-commit-hooks",
            &["check-toml", "check-yaml"],
        );
        assert!(!is_sample_pre_commit(&[more]));
        assert!(!is_sample_pre_commit(&[]));
    }

    #[test]
    fn the_ccds_makefile_until_the_group_adds_a_target() {
        let ccds = ".PHONY: clean data lint requirements sync_data_to_s3\n\nrequirements: test_environment\n\t$(PYTHON_INTERPRETER) -m pip install -r requirements.txt\n\ndata: requirements\n\t$(PYTHON_INTERPRETER) src/data/make_dataset.py data/raw data/processed\n\nlint:\n\tflake8 src\n\nsync_data_to_s3:\n\taws s3 sync data/ s3://$(BUCKET)/data/\n";
        assert!(is_ccds_makefile(ccds));
        let own = format!("{ccds}\ndocker:\n\tdocker build -t app .\n");
        assert!(!is_ccds_makefile(&own));
        assert!(!is_ccds_makefile("train:\n\tpython train.py\n"));
    }

    #[test]
    fn the_course_tasks_image_builds() {
        assert!(is_course_task_command(
            "f\"docker build -t train:latest . -f dockerfiles/train.dockerfile --progress={progress}\","
        ));
        assert!(is_course_task_command(
            "ctx.run(\"docker build -t api:latest . -f dockerfiles/api.Dockerfile\", echo=True)"
        ));
        assert!(!is_course_task_command(
            "ctx.run(\"docker build -t leafs-train:latest . -f dockerfiles/train.dockerfile\")"
        ));
    }
}
