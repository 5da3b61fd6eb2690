//! API keys: in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager), or,
//! where no keychain is reachable (a headless server, CI), in the `KATIB_API_KEY` environment
//! variable, and Katib says which. A key is never written to a file, a log or an error message:
//! [`ApiKey`] does not print.
//!
//! The keychain calls block; call them outside an async runtime or via `spawn_blocking`.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

const SERVICE: &str = "katib";
pub const ENV_KEY: &str = "KATIB_API_KEY";

/// A secret that never shows itself in `Debug` output and is wiped from memory when dropped
/// (`secrecy`'s `SecretString`).
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn new(s: impl Into<String>) -> ApiKey {
        ApiKey(SecretString::from(s.into()))
    }
    /// The secret itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for ApiKey {
    fn eq(&self, other: &ApiKey) -> bool {
        self.expose() == other.expose()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Where a key came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeySource {
    Keychain,
    Env,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "no OS keychain is reachable ({detail}). Katib never writes keys to files: \
         set the {ENV_KEY} environment variable instead, or start a keychain \
         (on Linux: a Secret Service such as gnome-keyring)"
    )]
    NoKeychain { detail: String },
    #[error("the keychain refused to store the key for profile '{profile}': {detail}")]
    Store { profile: String, detail: String },
    #[error("the API key is empty: nothing stored")]
    Empty,
}

impl KeyError {
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::NoKeychain { .. } => "key.no_keychain",
            KeyError::Store { .. } => "key.store",
            KeyError::Empty => "key.empty",
        }
    }
}

fn entry(profile: &str) -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(SERVICE, profile)
}

fn unreachable_detail(e: &keyring::Error) -> Option<String> {
    match e {
        keyring::Error::PlatformFailure(d) => Some(d.to_string()),
        keyring::Error::NoStorageAccess(d) => Some(d.to_string()),
        _ => None,
    }
}

/// Stores the key for `profile` in the keychain.
pub fn set_key(profile: &str, key: &ApiKey) -> Result<(), KeyError> {
    let secret = key.expose().trim();
    if secret.is_empty() {
        return Err(KeyError::Empty);
    }
    let e = entry(profile).map_err(|e| KeyError::NoKeychain { detail: e.to_string() })?;
    e.set_password(secret).map_err(|e| match unreachable_detail(&e) {
        Some(detail) => KeyError::NoKeychain { detail },
        None => KeyError::Store { profile: profile.into(), detail: e.to_string() },
    })
}

/// Deletes the key for `profile`; `Ok(false)` when there was none.
pub fn delete_key(profile: &str) -> Result<bool, KeyError> {
    let e = entry(profile).map_err(|e| KeyError::NoKeychain { detail: e.to_string() })?;
    match e.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(match unreachable_detail(&e) {
            Some(detail) => KeyError::NoKeychain { detail },
            None => KeyError::Store { profile: profile.into(), detail: e.to_string() },
        }),
    }
}

/// What [`find_key`] found, with a note to show the user when it fell back.
#[derive(Debug)]
pub struct FoundKey {
    pub key: Option<ApiKey>,
    pub source: Option<KeySource>,
    /// Set when the keychain could not be reached: say so, once, on stderr or in the UI.
    pub notice: Option<Notice>,
}

/// Something the user should know, that is not an error: a stable `code` (the desktop shows its
/// own text for it) and an English `message` with the details.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Notice {
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The key for `profile`: the keychain first, then `KATIB_API_KEY`. No key at all is fine:
/// many local servers (Ollama, llama.cpp) need none.
pub fn find_key(profile: &str) -> FoundKey {
    let env_key = std::env::var(ENV_KEY).ok().filter(|k| !k.trim().is_empty()).map(ApiKey::new);
    let from_env = |notice| FoundKey {
        source: env_key.as_ref().map(|_| KeySource::Env),
        key: env_key.clone(),
        notice,
    };
    match entry(profile).and_then(|e| e.get_password()) {
        Ok(k) => FoundKey { key: Some(ApiKey::new(k)), source: Some(KeySource::Keychain), notice: None },
        Err(keyring::Error::NoEntry) => from_env(None),
        Err(e) => {
            let detail = unreachable_detail(&e).unwrap_or_else(|| e.to_string());
            // Said only when it changes something: many local servers need no key at all.
            let notice = env_key.is_some().then(|| Notice {
                code: "key.env_fallback",
                message: format!("no OS keychain reachable ({detail}): using the key from {ENV_KEY}"),
            });
            from_env(notice)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_never_prints() {
        let k = ApiKey::new("sk-very-secret");
        assert_eq!(format!("{k:?}"), "ApiKey(***)");
        assert!(!format!("{:?}", Some(k.clone())).contains("secret"));
    }
}
