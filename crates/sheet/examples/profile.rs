fn main() {
    let p = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let prof = katib_sheet::profile_file(std::path::Path::new(&p), &Default::default()).unwrap();
    eprintln!("{:?}", t.elapsed());
    println!("{}", serde_json::to_string_pretty(&prof).unwrap());
}
