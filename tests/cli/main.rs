//! One integration-test binary: every test runs the real `dayone` executable.

mod check;
mod generated;
mod new;
mod new_errors;
mod report;
mod support;
mod wizard;
