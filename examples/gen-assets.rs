//! Regenerate `completions/` and `man/` from the current code: `cargo run --example gen-assets`.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (rel, bytes) in ac::assets::files() {
        let path = root.join(&rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)?;
        println!("wrote {rel}");
    }
    Ok(())
}
