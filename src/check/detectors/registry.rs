//! Every detector by the name the checklist data uses, and running one by name.

use super::{Context, Detection, MANUAL};
use super::{
    ci, cloud, docker, docs, dvc, environment, instrumentation, interfaces, monitoring, pipeline,
    repo, scale, serving, style, testing, tracking,
};

type Detector = fn(&Context) -> Detection;

/// Every detector by the name the checklist uses.
const DETECTORS: &[(&str, Detector)] = &[
    ("git_repository", repo::git_repository),
    ("github_remote", repo::github_remote),
    ("environment", environment::environment),
    ("project_layout", repo::project_layout),
    ("dependencies", environment::dependencies),
    ("data_version_control", dvc::data_version_control),
    ("gcs_data_remote", dvc::gcs_data_remote),
    ("data_module", pipeline::data_module),
    ("model_and_training", pipeline::model_and_training),
    ("typing_and_docs", interfaces::typing_and_docs),
    ("cli_and_tasks", interfaces::cli_and_tasks),
    ("experiment_configs", tracking::experiment_configs),
    ("hydra", tracking::hydra),
    ("profiling", instrumentation::profiling),
    ("logging", instrumentation::logging),
    ("wandb", tracking::wandb),
    ("hyperparameter_sweep", tracking::hyperparameter_sweep),
    ("lightning", tracking::lightning),
    ("distributed_data_loading", scale::distributed_data_loading),
    ("distributed_training", scale::distributed_training),
    ("model_optimization", scale::model_optimization),
    ("code_style", style::code_style),
    ("ci_tests", ci::ci_tests),
    ("ci_matrix_cache", ci::ci_matrix_cache),
    ("ci_lint", ci::ci_lint),
    ("pre_commit", style::pre_commit),
    ("ci_data_trigger", ci::ci_data_trigger),
    ("ci_registry_trigger", ci::ci_registry_trigger),
    ("tests_data", testing::tests_data),
    ("tests_model", testing::tests_model),
    ("coverage", testing::coverage),
    ("api_tests", testing::api_tests),
    ("load_test", testing::load_test),
    ("dockerfiles", docker::dockerfiles),
    ("docker_build", docker::docker_build),
    ("image_build_trigger", docker::image_build_trigger),
    ("cloud_training", cloud::cloud_training),
    ("cloud_deploy", cloud::cloud_deploy),
    ("fastapi_app", serving::fastapi_app),
    ("specialized_serving", serving::specialized_serving),
    ("frontend", serving::frontend),
    ("drift_check", serving::drift_check),
    ("collect_io_data", serving::collect_io_data),
    ("drift_api", serving::drift_api),
    ("api_metrics", serving::api_metrics),
    ("cloud_monitoring", monitoring::cloud_monitoring),
    ("cloud_alerts", monitoring::cloud_alerts),
    ("docs", docs::docs),
    ("docs_published", docs::docs_published),
    ("architecture_diagram", docs::architecture_diagram),
];

/// True when the checklist may name `detector`.
pub fn is_known(detector: &str) -> bool {
    detector == MANUAL || DETECTORS.iter().any(|(name, _)| *name == detector)
}

/// Run the named detector; `None` for an unknown name (the checklist loader rejects those).
pub fn detect(detector: &str, context: &Context) -> Option<Detection> {
    if detector == MANUAL {
        return Some(Detection::manual());
    }
    DETECTORS
        .iter()
        .find(|(name, _)| *name == detector)
        .map(|(_, run)| run(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_detector_is_used_by_the_checklist() {
        let list = crate::check::checklist::Checklist::embedded().unwrap();
        for (name, _) in DETECTORS {
            assert!(
                list.items.iter().any(|item| item.detector == *name),
                "detector {name} is never used"
            );
        }
    }
}
