//! The `[remote "name"] url = …` sections of the INI-style configs git and DVC write. DVC
//! quotes the whole section name (`['remote "storage"']`); git does not.

/// `(name, url)` of each remote section, in file order.
pub fn remotes(config: &str) -> Vec<(String, String)> {
    let mut current: Option<String> = None;
    let mut found = Vec::new();
    for line in config.lines().map(str::trim) {
        if let Some(section) = line.strip_prefix('[') {
            current = section
                .strip_suffix(']')
                .map(|s| s.trim_matches('\''))
                .and_then(|s| s.strip_prefix("remote \""))
                .and_then(|s| s.strip_suffix('"'))
                .map(str::to_string);
        } else if let (Some(name), Some((key, value))) = (&current, line.split_once('='))
            && key.trim() == "url"
        {
            found.push((name.clone(), value.trim().to_string()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_are_read_from_a_git_config() {
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:a/b.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch \"main\"]\n\tremote = origin\n";
        assert_eq!(
            remotes(config),
            [("origin".to_string(), "git@github.com:a/b.git".to_string())]
        );
    }

    #[test]
    fn remotes_are_read_from_a_dvc_config() {
        let config = "[core]\n    remote = storage\n['remote \"storage\"']\n    url = gs://bucket-data\n['remote \"local\"']\n    url = /tmp/store\n";
        assert_eq!(
            remotes(config),
            [
                ("storage".to_string(), "gs://bucket-data".to_string()),
                ("local".to_string(), "/tmp/store".to_string())
            ]
        );
    }
}
