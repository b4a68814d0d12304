//! Rebuild when the embedded templates change: `include_dir!` cannot tell cargo itself.

fn main() {
    println!("cargo:rerun-if-changed=template");
}
