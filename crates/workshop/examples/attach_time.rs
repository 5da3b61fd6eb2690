//! How long joining the packs to a fresh workbench takes (`katib_workshop::attach`), next to the
//! workbench load itself: `cargo run --release -p katib-workshop --example attach_time`.

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let paths = katib_core::config::Paths { config_dir: dir.path().join("c"), data_dir: dir.path().join("d") };
    let t = std::time::Instant::now();
    let mut wb = katib_core::run::Workbench::load_from(paths).unwrap();
    let a = t.elapsed();
    let t = std::time::Instant::now();
    let r = katib_workshop::attach(&mut wb);
    println!("load {:?} attach {:?} {:?} {}", a, t.elapsed(), r.packs, r.recordings);
}
