//! A bare Tauri 2 window: one page that says it is ready through one command. The peer Katib's
//! start-up time and memory are compared with (tests/bench/desktop.py).

/// Writes the wall-clock time (ns) to $KATIB_READY_FILE: the page is painted and IPC works.
#[tauri::command]
fn ready() {
    if let Some(path) = std::env::var_os("KATIB_READY_FILE") {
        let ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let _ = std::fs::write(path, ns.to_string());
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("bare window");
}
