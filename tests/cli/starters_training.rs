//! The training starters (profiling, sweep, distributed), seen from dayone's side: the files each
//! combination of them adds or changes, as snapshots, for a Hydra project on graphs with pip and
//! PyTorch's loop and for a plain-settings image project with Lightning and wandb. (Running them is
//! scripts/verify_template.py's job: the runtime combinations `graph-starters`, `tabular-pip-full` and
//! `everything`.)

use crate::generated::changed_files;
use crate::generated::generate;
use crate::support::TestEnv;

const STARTERS: &[&str] = &["profiling=true", "sweep=true", "distributed=true"];

#[test]
fn the_training_starters_change_these_files() {
    let env = TestEnv::new();
    for (name, sets) in [
        (
            "graph-hydra-pip",
            &["data_kind=graph", "hydra=true", "dependency_manager=pip"][..],
        ),
        (
            "image-lightning-wandb",
            &["training=lightning", "tracking=wandb"][..],
        ),
    ] {
        let plain = format!("{name}-plain");
        let with = format!("{name}-starters");
        let base: Vec<&str> = sets.iter().copied().chain(["package_name=demo"]).collect();
        generate(&env, &plain, &base, &["--no-git"]);
        let all: Vec<&str> = base.iter().chain(STARTERS).copied().collect();
        generate(&env, &with, &all, &["--no-git"]);
        let changed = changed_files(&env, &plain, &with, &[]);
        insta::assert_snapshot!(format!("training_starters_{name}"), changed);
    }
}
