//! The OS keychain for real: a Secret Service (gnome-keyring) on a private D-Bus session, as
//! `tests/run.sh` starts it. `katib key set` stores the key there, a run sends it, no file holds
//! it, `katib key delete` removes it.
//!
//! It needs that Secret Service: `#[ignore]`d under a plain `cargo test` (which says so), run by
//! tests/run.sh, and a failure when no Secret Service is reachable.

use std::io::Write;
use std::process::{Command, Stdio};

use katib_testserver::{Script, Server, Sse};

use crate::util::*;

fn secret_service_reachable() -> bool {
    // secret-tool talks to the same Secret Service keyring uses.
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && Command::new("secret-tool")
            .args(["search", "service", "katib-probe"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success() || s.code() == Some(1))
}

#[test]
#[ignore = "needs a Secret Service on D-Bus (gnome-keyring): tests/run.sh starts one"]
fn key_lives_in_the_os_keychain() {
    assert!(secret_service_reachable(), "no Secret Service is reachable: run this test through tests/run.sh");
    let sb = Sandbox::new();
    let secret = format!("sk-keychain-{}", std::process::id());
    let server = Server::start(vec![Script::Sse(Sse::tokens(&["Bien reçu."]))]);
    let profile = format!("kc{}", std::process::id());
    ok(&sb.run(&["profiles", "add", &profile, "--base-url", &server.base_url(), "--model", "test-model"]));

    let mut child = sb.katib().args(["key", "set", &profile]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(format!("{secret}\n").as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    ok(&o);
    assert!(stderr(&o).contains("OS keychain"), "{}", stderr(&o));

    // The Secret Service holds it (read back by another program).
    let found = Command::new("secret-tool").args(["lookup", "service", "katib", "username", &profile]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&found.stdout).trim(), secret, "secret-tool sees the key");

    // A run sends it, with no KATIB_API_KEY in the environment.
    let o = sb.run(&["run", "reponse-citoyen", "--sample", "--out", sb.out("l.docx").to_str().unwrap()]);
    ok(&o);
    assert_eq!(server.requests()[0].header("authorization"), Some(format!("Bearer {secret}").as_str()));
    for (p, b) in sb.all_files() {
        assert!(!String::from_utf8_lossy(&b).contains(&secret), "{} contains the key", p.display());
    }

    ok(&sb.run(&["key", "delete", &profile]));
    let o = sb.run(&["run", "reponse-citoyen", "--sample"]);
    ok(&o);
    assert_eq!(server.requests()[1].header("authorization"), None, "deleted: no key sent");
}
