//! Settings and profiles files: round trips, errors that name the line.

use super::*;
use std::path::Path;

    #[test]
    fn profile_round_trip_and_default() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().join("cfg"), data_dir: dir.path().join("data") };
        let mut ps = Profiles::load(&paths).unwrap();
        assert!(ps.choose(None).unwrap().is_none(), "nothing configured means practice");
        let mut p = Profile::new("local", "http://127.0.0.1:8080/v1/", "m");
        p.headers.insert("X-Org".into(), "oujda".into());
        ps.add(p, &paths).unwrap();
        ps.save(&paths).unwrap();
        let back = Profiles::load(&paths).unwrap();
        assert_eq!(back.default.as_deref(), Some("local"));
        let chosen = back.choose(None).unwrap().unwrap();
        assert_eq!(chosen.base_url, "http://127.0.0.1:8080/v1");
        assert_eq!(chosen.headers["X-Org"], "oujda");
        assert!(back.choose(Some("practice")).unwrap().is_none());
        assert!(matches!(back.choose(Some("nope")), Err(ConfigError::UnknownProfile { .. })));
    }

    #[test]
    fn readme_settings_example_loads() {
        // The config.toml shown in the README: the ```toml block that starts with templates_dir.
        let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
        let start = readme.find("```toml\ntemplates_dir").unwrap() + "```toml\n".len();
        let block = &readme[start..start + readme[start..].find("```").unwrap()];
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().to_path_buf(), data_dir: dir.path().join("data") };
        std::fs::write(paths.settings_file(), block).unwrap();
        let s = Settings::load(&paths).unwrap();
        assert!(s.prepared_with);
        assert_eq!(s.letterhead.fr[0], "Royaume du Maroc");
        assert_eq!(s.letterhead.ar[0], "المملكة المغربية");
        assert_eq!(s.letterhead.logo.as_deref(), Some(dir.path().join("logo.png").as_path()), "relative to the config folder");
        assert_eq!(s.letterhead.signature_name_ar.as_deref(), Some("محمد بنعلي"));
    }

    #[test]
    fn bad_profiles_file_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { config_dir: dir.path().into(), data_dir: dir.path().into() };
        std::fs::write(paths.profiles_file(), "default = \"a\"\n[[profile]]\nname = \n").unwrap();
        match Profiles::load(&paths) {
            Err(ConfigError::Parse { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_key_in_headers_and_bad_urls() {
        let mut p = Profile::new("x", "localhost:8080", "m");
        assert!(p.validate().is_err());
        p.base_url = "http://localhost:8080/v1".into();
        p.headers.insert("Authorization".into(), "Bearer sk".into());
        assert!(p.validate().is_err());
    }

    #[test]
    fn presets_resolve_loosely() {
        assert_eq!(preset("llama.cpp").unwrap().base_url, "http://localhost:8080/v1");
        assert_eq!(preset("LM Studio").unwrap().id, "lmstudio");
        assert!(preset("gemini").is_err());
    }
