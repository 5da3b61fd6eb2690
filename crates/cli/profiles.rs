//! `katib profiles ...` (endpoints) and `katib key set|delete` (their keys, in the OS keychain).

use std::io::{IsTerminal, Read};

use anyhow::{anyhow, Context};
use katib_core::config::{self, Profile, Profiles, PRACTICE};
use katib_core::run::Workbench;
use katib_core::secrets::{self, ApiKey};
use serde_json::json;

use crate::args::{KeyCmd, ProfilesCmd};
use crate::core_err;
use crate::output::{note, print_json, split_pair, Failure};

fn load_profiles() -> Result<(config::Paths, Profiles), Failure> {
    let paths = config::Paths::from_env().map_err(|e| core_err!(e))?;
    let profiles = Profiles::load(&paths).map_err(|e| core_err!(e))?;
    Ok((paths, profiles))
}

pub fn profiles_cmd(c: ProfilesCmd) -> Result<(), Failure> {
    match c {
        ProfilesCmd::List { json } => {
            let (paths, ps) = load_profiles()?;
            let default = ps.default.clone().unwrap_or_else(|| PRACTICE.into());
            if json {
                let list: Vec<_> = ps.profiles.iter().map(|p| json!({
                    "name": p.name, "base_url": p.base_url, "model": p.model, "preset": p.preset,
                    "temperature": p.temperature, "max_tokens": p.max_tokens, "stream": p.stream,
                    "default": p.name == default,
                })).collect();
                print_json(&json!({"default": default, "profiles": list, "file": paths.profiles_file()}));
                return Ok(());
            }
            let mark = |n: &str| if n == default { "*" } else { " " };
            println!("{} {:<14} offline practice mode (built-in samples only)", mark(PRACTICE), PRACTICE);
            for p in &ps.profiles {
                println!("{} {:<14} {}  model {}", mark(&p.name), p.name, p.base_url, p.model);
            }
            println!("\n(* default)  file: {}", paths.profiles_file().display());
            Ok(())
        }
        ProfilesCmd::Add { name, base_url, model, preset, temperature, max_tokens, headers, first_token_timeout, idle_timeout, retries, no_stream, default } => {
            let (paths, mut ps) = load_profiles()?;
            let pre = preset.as_deref().map(config::preset).transpose().map_err(|e| core_err!(e))?;
            let base_url = base_url
                .or_else(|| pre.map(|p| p.base_url.to_string()))
                .ok_or_else(|| Failure { code: "usage".into(), message: "--base-url is required (or --preset)".into(), exit: 2 })?;
            let model = model
                .or_else(|| pre.map(|p| p.model_hint.to_string()))
                .ok_or_else(|| Failure { code: "usage".into(), message: "--model is required (or --preset)".into(), exit: 2 })?;
            let mut p = Profile::new(&name, &base_url, &model);
            p.preset = pre.map(|p| p.id.to_string());
            p.temperature = temperature;
            p.max_tokens = max_tokens;
            p.stream = !no_stream;
            for h in headers {
                let (k, v) = split_pair(&h, "--header")?;
                p.headers.insert(k, v);
            }
            if let Some(t) = first_token_timeout {
                p.first_token_timeout_secs = t;
            }
            if let Some(t) = idle_timeout {
                p.idle_timeout_secs = t;
            }
            if let Some(r) = retries {
                p.retries = r;
            }
            ps.add(p, &paths).map_err(|e| core_err!(e))?;
            if default {
                ps.default = Some(name.clone());
            }
            ps.save(&paths).map_err(|e| core_err!(e))?;
            eprintln!("katib: profile '{name}' added to {}", paths.profiles_file().display());
            if pre.is_some_and(|p| p.needs_key) {
                eprintln!("katib: this endpoint needs an API key: katib key set {name}");
            }
            Ok(())
        }
        ProfilesCmd::Remove { name } => {
            let (paths, mut ps) = load_profiles()?;
            ps.remove(&name).map_err(|e| core_err!(e))?;
            ps.save(&paths).map_err(|e| core_err!(e))?;
            eprintln!("katib: profile '{name}' removed");
            Ok(())
        }
        ProfilesCmd::Default { name } => {
            let (paths, mut ps) = load_profiles()?;
            if name != PRACTICE {
                ps.get(&name).map_err(|e| core_err!(e))?;
            }
            ps.default = if name == PRACTICE { None } else { Some(name.clone()) };
            ps.save(&paths).map_err(|e| core_err!(e))?;
            Ok(())
        }
        ProfilesCmd::Test { name, json } => {
            let wb = Workbench::load()?;
            let chosen = wb.connect_profile(name.as_deref())?;
            if let Some(n) = &chosen.notice {
                note(&n.message, json);
            }
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("runtime")?;
            let models = rt.block_on(chosen.provider.list_models()).map_err(|e| core_err!(e))?;
            let model = chosen.provider.model().to_string();
            let served = models.contains(&model);
            if json {
                println!("{}", json!({"profile": chosen.provider.name(), "ok": true, "models": models, "model": model, "model_served": served, "key_source": chosen.key_source}));
            } else {
                println!("ok: {} answers; {} model(s): {}", chosen.provider.name(), models.len(), models.join(", "));
                if !served && chosen.provider.name() != PRACTICE {
                    println!("warning: the profile's model '{model}' is not in that list");
                }
            }
            Ok(())
        }
        ProfilesCmd::Presets { json } => {
            if json {
                print_json(&config::PRESETS);
            } else {
                for p in config::PRESETS {
                    println!("{:<9} {:<18} {:<28} e.g. {}{}", p.id, p.name, p.base_url, p.model_hint, if p.needs_key { "  (API key)" } else { "" });
                }
            }
            Ok(())
        }
    }
}

pub fn key_cmd(c: KeyCmd) -> Result<(), Failure> {
    match c {
        KeyCmd::Set { profile } => {
            let (_, ps) = load_profiles()?;
            ps.get(&profile).map_err(|e| core_err!(e))?;
            let key = read_key(&profile)?;
            secrets::set_key(&profile, &key).map_err(|e| core_err!(e))?;
            eprintln!("katib: key stored in the OS keychain for profile '{profile}'");
            Ok(())
        }
        KeyCmd::Delete { profile } => {
            let existed = secrets::delete_key(&profile).map_err(|e| core_err!(e))?;
            eprintln!("katib: {}", if existed { format!("key of '{profile}' deleted") } else { format!("no key stored for '{profile}'") });
            Ok(())
        }
    }
}

/// The key from stdin: a hidden prompt on a terminal, else the first line of the pipe.
fn read_key(profile: &str) -> Result<ApiKey, Failure> {
    let stdin = std::io::stdin();
    let key = if stdin.is_terminal() {
        rpassword::prompt_password(format!("API key for '{profile}' (hidden): ")).map_err(|e| anyhow!("reading the key: {e}"))?
    } else {
        let mut s = String::new();
        stdin.lock().take(64 * 1024).read_to_string(&mut s).map_err(|e| anyhow!("reading the key from stdin: {e}"))?;
        s.lines().next().unwrap_or("").to_string()
    };
    if key.trim().is_empty() {
        return Err(core_err!(secrets::KeyError::Empty).into());
    }
    Ok(ApiKey::new(key.trim()))
}

