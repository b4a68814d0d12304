//! Work in the cloud, in the many forms it leaves in a repository: training jobs on Vertex AI
//! or Compute Engine, and deployments on Cloud Run or Cloud Functions.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope, docker, is_workflow_path, shorten};
use crate::check::filename::file_name;

static CLOUD_TRAINING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"gcloud\s+(beta\s+)?ai\s+custom-jobs\s+create|gcloud\s+compute\s+instances\s+create|gcloud\s+ai-platform\s+jobs\s+submit")
        .expect("valid regex")
});

/// Terraform resources that run or serve something in GCP, with what they are.
const TERRAFORM_TRAINING: &[(&str, &str)] = &[("google_compute_instance", "a Compute Engine VM")];
const TERRAFORM_DEPLOY: &[(&str, &str)] = &[
    ("google_cloud_run_v2_service", "a Cloud Run service"),
    ("google_cloud_run_service", "a Cloud Run service"),
    ("google_cloudfunctions2_function", "a Cloud Function"),
    ("google_cloudfunctions_function", "a Cloud Function"),
];

/// Terraform files declaring one of `resources`, as evidence.
fn terraform(cx: &Context, resources: &[(&str, &str)]) -> Vec<Evidence> {
    cx.project
        .texts(|p| p.ends_with(".tf"))
        .filter_map(|(path, text)| {
            let (resource, what) = resources
                .iter()
                .find(|(r, _)| text.contains(&format!("resource \"{r}\"")))?;
            Some(Evidence::new(
                path,
                format!("{what} in Terraform (`{resource}`)"),
            ))
        })
        .collect()
}

/// Training in GCP: a Vertex AI job config, the command that starts a job or a VM (in a
/// script, task, workflow or the README's code), the Python client, or Terraform.
pub fn cloud_training(cx: &Context) -> Detection {
    let mut evidence = cx.commands_matching(&CLOUD_TRAINING);
    evidence.extend(cx.documented_matching(&CLOUD_TRAINING));
    for (path, text) in cx
        .project
        .texts(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
    {
        if text.contains("workerPoolSpecs") || text.contains("worker_pool_specs") {
            evidence.push(Evidence::new(
                path,
                "a Vertex AI custom-job config (workerPoolSpecs)",
            ));
        }
    }
    evidence.extend(cx.python_referring(
        Scope::Code,
        &[
            "google.cloud.aiplatform.CustomJob",
            "google.cloud.aiplatform.CustomContainerTrainingJob",
            "google.cloud.aiplatform.CustomTrainingJob",
        ],
        "starts a Vertex AI training job",
    ));
    evidence.extend(terraform(cx, TERRAFORM_TRAINING));
    Detection::from_evidence(
        evidence,
        "train in GCP: keep the Vertex AI job config (workerPoolSpecs) or the `gcloud ai custom-jobs create` command in the repository",
    )
}

static CLOUD_DEPLOY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"gcloud\s+(beta\s+)?(run\s+deploy|functions\s+deploy|run\s+services\s+replace)")
        .expect("valid regex")
});
/// A container command that listens on the port Cloud Run gives (`$PORT`).
static SERVES_ON_PORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{?PORT\b").expect("valid regex"));

/// Deployment in GCP: the deploy command (in a script, task, workflow, Cloud Build step or
/// the README's code), a deploy action, a Cloud Run service definition or Terraform, a Cloud
/// Functions entry point, or an API image that serves on `$PORT` pushed by a build config.
pub fn cloud_deploy(cx: &Context) -> Detection {
    let mut evidence = cx.commands_matching(&CLOUD_DEPLOY);
    evidence.extend(cx.documented_matching(&CLOUD_DEPLOY));
    for wf in &cx.workflows {
        for (job, step) in wf.steps() {
            if let Some(action) = step
                .action()
                .filter(|a| a.contains("deploy-cloudrun") || a.contains("deploy-cloud-functions"))
            {
                evidence.push(Evidence::new(
                    &wf.path,
                    format!("job `{}` uses {action}", job.id),
                ));
            }
        }
    }
    for (path, text) in cx
        .project
        .texts(|p| (p.ends_with(".yaml") || p.ends_with(".yml")) && !is_workflow_path(p))
    {
        if text.contains("serving.knative.dev") {
            evidence.push(Evidence::new(path, "a Cloud Run service definition"));
        }
    }
    evidence.extend(terraform(cx, TERRAFORM_DEPLOY));
    evidence.extend(cx.python_referring(
        Scope::Code,
        &[
            "functions_framework.http",
            "functions_framework.cloud_event",
        ],
        "a Cloud Functions entry point",
    ));
    evidence.extend(pushed_port_images(cx));
    Detection::from_evidence(
        evidence,
        "deploy the API to Cloud Run: a `gcloud run deploy` step in cloudbuild.yaml or a workflow",
    )
}

/// A Dockerfile whose command serves on `$PORT` (what Cloud Run runs), built and pushed to a
/// registry by a Cloud Build file: the image is made for Cloud Run and delivered to it. Not
/// when both are still dayone's template files, which prepare this before anyone deploys.
fn pushed_port_images(cx: &Context) -> Vec<Evidence> {
    let pushers: Vec<&str> = cx
        .project
        .texts(|p| file_name(p).starts_with("cloudbuild"))
        .filter(|(_, text)| text.contains("\nimages:") || text.contains("push"))
        .map(|(path, _)| path)
        .collect();
    let template = |path: &str| cx.is_template_text(path);
    let Some(pusher) = pushers.first() else {
        return Vec::new();
    };
    cx.project
        .texts(docker::is_dockerfile)
        .filter(|(path, _)| !(template(path) && pushers.iter().all(|p| template(p))))
        .filter_map(|(path, text)| {
            let (keyword, args) = docker::instructions(text)
                .into_iter()
                .rev()
                .find(|(k, _)| k == "CMD" || k == "ENTRYPOINT")?;
            SERVES_ON_PORT.is_match(&args).then(|| {
                Evidence::new(
                    path,
                    format!(
                        "serves on Cloud Run's $PORT ({keyword} {}), pushed by {pusher}",
                        shorten(&args, 50)
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{DAYONE_TOML, builtin_file, is_done};

    const CLOUDBUILD: (&str, &str) = (
        "cloudbuild.yaml",
        "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'img', '.']\n",
    );

    #[test]
    fn training_in_the_cloud_in_its_forms() {
        assert!(is_done(
            "cloud_training",
            &[(
                "configs/vertex.yaml",
                "workerPoolSpecs:\n  machineSpec:\n    machineType: n1-highmem-2\n"
            )]
        ));
        assert!(!is_done("cloud_training", &[CLOUDBUILD]));
        let readme = (
            "README.md",
            "# p\n\nTrain on a VM:\n\n```bash\n$ gcloud compute instances create trainer --zone europe-west1-b\n```\n\nNot `gcloud compute instances create` outside code.\n",
        );
        assert!(is_done("cloud_training", &[readme]));
        let prose_only = (
            "README.md",
            "We ran gcloud compute instances create once.\n",
        );
        assert!(!is_done("cloud_training", &[prose_only]));
        let terraform = (
            "infra/vm.tf",
            "resource \"google_compute_instance\" \"trainer\" {\n  machine_type = \"n1-standard-4\"\n}\n",
        );
        assert!(is_done("cloud_training", &[terraform]));
    }

    #[test]
    fn deployment_in_its_forms() {
        let deploy = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/google.com/cloudsdktool/cloud-sdk\n  entrypoint: gcloud\n  args: ['run', 'deploy', 'api', '--image', 'img']\n",
        );
        assert!(is_done("cloud_deploy", &[deploy]));
        assert!(!is_done("cloud_deploy", &[CLOUDBUILD]));
        let terraform = (
            "infra/main.tf",
            "resource \"google_cloud_run_v2_service\" \"api\" {\n  name = \"api\"\n}\n",
        );
        assert!(is_done("cloud_deploy", &[terraform]));
        let function = (
            "functions/main.py",
            "import functions_framework\n\n@functions_framework.http\ndef predict(request):\n    return 'ok'\n",
        );
        assert!(is_done("cloud_deploy", &[function]));
        let dockerfile = (
            "dockerfiles/api.dockerfile",
            "FROM python:3.12-slim\nCMD exec uvicorn pkg.api:app --host 0.0.0.0 --port ${PORT}\n",
        );
        let pushed = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'img', '.']\nimages:\n- img\n",
        );
        assert!(is_done("cloud_deploy", &[dockerfile, pushed]));
        assert!(!is_done("cloud_deploy", &[dockerfile]));
        assert!(!is_done("cloud_deploy", &[dockerfile, CLOUDBUILD]));
        // dayone's own template prepares both before anyone deploys.
        let api = builtin_file("dockerfiles/api.dockerfile");
        let build = builtin_file("cloudbuild.yaml");
        let template = [
            DAYONE_TOML,
            ("dockerfiles/api.dockerfile", api.as_str()),
            ("cloudbuild.yaml", build.as_str()),
        ];
        assert!(!is_done("cloud_deploy", &template));
        assert!(is_done("cloud_deploy", &template[1..]));
    }
}
