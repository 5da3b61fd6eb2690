//! Where the shipped `prompts/` and `samples/` folders are.

use std::path::{Path, PathBuf};

use super::ConfigError;

/// Where the shipped `prompts/` and `samples/` folders are.
#[derive(Clone, Debug)]
pub struct Resources {
    pub prompts_dir: PathBuf,
    pub samples_dir: PathBuf,
}

impl Resources {
    /// `KATIB_RESOURCES_DIR`, else beside the executable (installed layouts), else the source tree
    /// this crate was built from (development and tests).
    pub fn locate() -> Result<Resources, ConfigError> {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if let Some(d) = std::env::var_os("KATIB_RESOURCES_DIR") {
            candidates.push(PathBuf::from(d));
        }
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        // A development build reads the source tree first: the desktop's build step copies
        // prompts/ and samples/ beside the binaries, and those copies go stale.
        if cfg!(debug_assertions) {
            candidates.push(source.clone());
        }
        if let Ok(exe) = std::env::current_exe() {
            if let Some(dir) = exe.parent() {
                candidates.push(dir.to_path_buf());
                candidates.push(dir.join("resources"));
                candidates.push(dir.join("../share/katib"));
                candidates.push(dir.join("../lib/katib"));
                // Where `cargo tauri build` puts bundle resources (.deb, .AppImage).
                candidates.push(dir.join("../lib/Katib"));
            }
        }
        candidates.push(source);
        for c in &candidates {
            if c.join("prompts").is_dir() && c.join("samples").is_dir() {
                let c = c.canonicalize().unwrap_or_else(|_| c.clone());
                return Ok(Resources { prompts_dir: c.join("prompts"), samples_dir: c.join("samples") });
            }
        }
        Err(ConfigError::NoResources {
            looked: candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", "),
        })
    }
}

