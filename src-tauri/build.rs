//! Declares the app's own commands so that capabilities/ can grant exactly them to the window.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(katib_desktop_commands()),
    ))
    .expect("tauri build step");
}

/// Keep in step with `generate_handler!` in src/lib.rs (tests/ui.rs checks it).
fn katib_desktop_commands() -> &'static [&'static str] {
    &[
        "app_ready", "app_info", "set_language", "list_templates", "get_template", "load_sample", "render_prompt",
        "generate", "cancel_generation", "pick_file", "export_answer", "open_path", "list_profiles",
        "save_profile", "delete_profile", "set_default_profile", "set_key", "delete_key", "key_status",
        "test_connection", "save_draft", "load_draft", "get_letterhead", "save_letterhead",
        "pick_letterhead_file", "get_signatories", "save_signatories", "history_list", "history_search",
        "history_get", "history_delete", "history_purge", "history_approve", "history_audit_sheet", "register_list", "register_export",
        "get_history_settings", "save_history_settings",
        // The workshop (Formation screen) and the template editor: src/workshop.rs.
        "pack_list", "pack_open", "pack_import", "pack_pick", "pack_export", "pack_validate", "pack_remove",
        "learner_get", "learner_set", "exercise_start", "exercise_check", "generate_with", "submission_export",
        "submission_open", "review_write", "review_import", "review_list", "results_gather", "results_export",
        "draft_list", "draft_create", "draft_add_exercise", "pack_record", "editor_list", "editor_open",
        "editor_update", "editor_set_field", "editor_remove_field", "editor_move_field", "editor_save", "editor_duplicate", "editor_reset",
        "merge_samples", "merge_sample_request", "merge_plan", "merge_draft", "merge_start", "merge_stop", "merge_status", "merge_remember", "merge_pick_folder",
    ]
}
