//! One integration-test binary: every test runs the real `dayone` executable.

mod check;
mod dom;
mod generated;
mod new;
mod new_errors;
mod output;
mod report;
mod report_html;
mod starters_model;
mod support;
mod update;
#[cfg(unix)]
mod wizard;
