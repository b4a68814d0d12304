//! One integration-test binary: every test runs the real `dayone` executable.

mod check;
mod cookiecutter;
mod dom;
mod generated;
mod git_sources;
mod link;
mod new;
mod new_errors;
mod output;
mod port;
mod readme;
mod report;
mod report_html;
#[cfg(unix)]
mod safety;
mod starters;
mod starters_cloud;
mod starters_frontend;
mod starters_model;
mod starters_monitoring;
mod starters_serving;
mod starters_training;
mod support;
mod update;
mod update_lock;
mod update_team;
#[cfg(unix)]
mod wizard;
