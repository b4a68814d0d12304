//! One integration-test binary: every test runs the real `dayone` executable.

mod check;
mod dom;
mod generated;
mod new;
mod new_errors;
mod output;
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
#[cfg(unix)]
mod wizard;
