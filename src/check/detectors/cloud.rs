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

/// The deploy commands, also written as a list of arguments (`["gcloud", "run", "deploy"]`).
static CLOUD_DEPLOY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"gcloud["',\s]+(beta["',\s]+)?(run["',\s]+deploy|functions["',\s]+deploy|run["',\s]+services["',\s]+(replace|update))\b"#,
    )
    .expect("valid regex")
});
/// The address of a deployed service: Cloud Run's (`NAME-HASH-REGION.a.run.app`, or
/// `NAME-PROJECTNUMBER.REGION.run.app`) or a Cloud Function's (`REGION-PROJECT.cloudfunctions.net/NAME`).
/// Placeholders (`<service>.run.app`, `your-app.run.app`) have neither shape.
static SERVICE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)https://([a-z0-9-]+-[a-z0-9]{10}-[a-z]{2,4}\.a\.run\.app|[a-z0-9-]+-\d{6,}\.[a-z0-9-]+\.run\.app|[a-z]+-[a-z]+\d+-[a-z0-9-]+\.cloudfunctions\.net/\w+)",
    )
    .expect("valid regex")
});
/// A plain Cloud Functions HTTP entry point: a top-level function of the request alone.
static REQUEST_HANDLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)^def\s+(\w+)\s*\(\s*request\s*(:(?u:[^,()])*)?\)").expect("valid regex")
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
    evidence.extend(http_functions(cx));
    evidence.extend(service_urls(cx));
    evidence.extend(pushed_port_images(cx));
    Detection::from_evidence(
        evidence,
        "deploy the API to Cloud Run: a `gcloud run deploy` step in cloudbuild.yaml or a workflow",
    )
}

/// A Cloud Functions entry point written without functions-framework: a `main.py` whose
/// top-level function takes the HTTP request and reads it, and which loads what it serves
/// (the model) from a bucket. That is the shape Cloud Functions calls, and nothing else runs it.
fn http_functions(cx: &Context) -> Vec<Evidence> {
    cx.files(Scope::Code)
        .filter(|(path, _)| file_name(path) == "main.py")
        .filter_map(|(path, py)| {
            let handler = py
                .lines
                .iter()
                .filter(|l| l.indent == 0)
                .find_map(|l| Some((l.line, REQUEST_HANDLER.captures(&l.code)?[1].to_string())))?;
            let reads = ["request.get_json", "request.args", "request.files", "request.form", "request.json"]
                .iter()
                .any(|r| py.code_contains(r));
            let bucket = py.refers_to("google.cloud.storage").is_some();
            (reads && bucket).then(|| {
                Evidence::at(
                    path,
                    handler.0,
                    format!(
                        "a Cloud Functions HTTP entry point (`{}(request)`) serving a model from a bucket",
                        handler.1
                    ),
                )
            })
        })
        .collect()
}

/// The address of a deployed service written in the repository (the README's link to the
/// app, a frontend's backend URL, a test calling the service); the report is not read here.
fn service_urls(cx: &Context) -> Vec<Evidence> {
    cx.project
        .texts(|p| p != crate::report::PATH)
        .filter(|(_, text)| text.contains("https://"))
        .filter_map(|(path, text)| {
            let (index, url) = text
                .lines()
                .enumerate()
                .find_map(|(i, line)| Some((i, SERVICE_URL.find(line)?.as_str())))?;
            Some(Evidence::at(
                path,
                index + 1,
                format!("gives the address of the deployed service: {url}"),
            ))
        })
        .collect()
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
    use super::super::Detection;
    use super::super::fixture::{DAYONE_TOML, builtin_file, is_done, run};

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

    /// Deployments the way groups keep them: a task package's command (also written as a list
    /// of arguments), a guide in docs/, a plain Cloud Functions handler that loads the model
    /// from a bucket, the address of the running service.
    #[test]
    fn deployments_in_tasks_guides_functions_and_addresses() {
        let task = (
            "tasks/cloud.py",
            "from invoke import task\n\n@task\ndef deploy(c):\n    c.run(f\"gcloud run deploy {SERVICE} --image {IMAGE} --region europe-west1\")\n",
        );
        assert!(is_done("cloud_deploy", &[task]));
        let listed = (
            "tasks.py",
            "subprocess.run([\"gcloud\", \"run\", \"deploy\", \"leaf-api\", \"--source\", \".\"], check=True)\n",
        );
        assert!(is_done("cloud_deploy", &[listed]));
        let guide = (
            "docs/source/deploy.md",
            "# Deploying\n\n```bash\ngcloud run deploy leaf-api --image europe-west1-docker.pkg.dev/p/images/api\n```\n",
        );
        assert!(is_done("cloud_deploy", &[guide]));
        let handler = "from google.cloud import storage\nimport torch\n\n_model = None\n\ndef predict(request):\n    global _model\n    if _model is None:\n        storage.Client().bucket(\"leafs\").blob(\"model.pt\").download_to_filename(\"/tmp/m.pt\")\n        _model = torch.load(\"/tmp/m.pt\")\n    data = request.get_json()\n    return {\"label\": int(_model(torch.tensor(data[\"x\"])).argmax())}\n";
        match run("cloud_deploy", &[("cloud_function/main.py", handler)]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "a Cloud Functions HTTP entry point (`predict(request)`) serving a model from a bucket"
            ),
            other => panic!("{other:?}"),
        }
        // A handler without a bucket, or a function that is not a handler, is not one.
        let local = handler.replace("from google.cloud import storage\n", "");
        assert!(!is_done(
            "cloud_deploy",
            &[("cloud_function/main.py", local.as_str())]
        ));
        let not_a_handler =
            handler.replace("def predict(request):", "def predict(request, model):");
        assert!(!is_done(
            "cloud_deploy",
            &[("cloud_function/main.py", not_a_handler.as_str())]
        ));
        for (readme, deployed) in [
            (
                "Try it: [leaf doctor](https://leaf-frontend-170780472924.europe-west1.run.app)\n",
                true,
            ),
            (
                "API_URL = \"https://leaf-api-x7kj2l3mna-ew.a.run.app/predict\"\n",
                true,
            ),
            (
                "Call `https://europe-west1-leafs-123.cloudfunctions.net/predict`.\n",
                true,
            ),
            (
                "Deploy it and open https://<your-service>.run.app.\n",
                false,
            ),
            (
                "The app will run at https://your-app.a.run.app once deployed.\n",
                false,
            ),
            ("We deployed the API with Cloud Run.\n", false),
        ] {
            assert_eq!(
                is_done("cloud_deploy", &[("README.md", readme)]),
                deployed,
                "{readme}"
            );
        }
        // The report is weaker evidence: an address there alone does not count.
        assert!(!is_done(
            "cloud_deploy",
            &[(
                "reports/README.md",
                "https://leaf-api-x7kj2l3mna-ew.a.run.app\n"
            )]
        ));
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
