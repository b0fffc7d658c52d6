//! All-or-nothing output: files are written into a staging directory beside
//! the output directory and moved into place only when the run succeeds.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A staging directory, removed on drop unless committed.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates a fresh staging directory for the output directory `out`.
    pub fn new(out: &Path) -> Result<Staging> {
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let dir = parent.join(format!(".{name}.nexo-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging { dir, out: out.to_owned(), committed: false })
    }

    /// Where to write the staged file `name` (a relative path: its
    /// directories are created).
    pub fn path(&self, name: &str) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            // A failure shows when the file is created, with its path.
            let _ = std::fs::create_dir_all(parent);
        }
        path
    }

    /// Moves every staged file into the output directory, merging staged
    /// directories into existing ones (partitions of earlier runs stay).
    pub fn commit(mut self) -> Result<()> {
        move_into(&self.dir, &self.out)?;
        self.committed = true;
        std::fs::remove_dir_all(&self.dir).with_context(|| format!("removing {}", self.dir.display()))
    }
}

/// Moves the entries of `from` into `to`: files replace files, directories
/// merge into existing directories.
fn move_into(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let entries = std::fs::read_dir(from).with_context(|| format!("listing {}", from.display()))?;
    for entry in entries {
        let source = entry.with_context(|| format!("listing {}", from.display()))?.path();
        let target = to.join(source.file_name().unwrap_or_default());
        if source.is_dir() && target.is_dir() {
            move_into(&source, &target)?;
        } else {
            std::fs::rename(&source, &target)
                .with_context(|| format!("moving {} to {}", source.display(), target.display()))?;
        }
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
