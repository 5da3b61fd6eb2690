fn main() {
    let t = std::env::args().nth(1).unwrap();
    for f in katib_pseudo::detect(&t, &katib_pseudo::Hints::new()) { println!("{:?} {:?}", f.kind, f.text); }
}
