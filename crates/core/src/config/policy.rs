//! The machine's policy: what an IT department locks for every user of a computer, in a
//! system-wide file the users cannot edit. It forces pseudonymisation, limits the profiles or
//! data classes runs may use, sets the history's retention and whether the history may be turned
//! off. The window shows a locked setting as locked; the CLI refuses to override it.
//!
//! Where it lives: `/etc/katib/policy.toml` (Linux and other Unix), `/Library/Application
//! Support/katib/policy.toml` (macOS), `%ProgramData%\katib\policy.toml` (Windows), or
//! `$KATIB_POLICY_FILE` (tests, trainers' sandboxes). No file: nothing is locked.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::file::read_toml;
use super::ConfigError;
use crate::kinds::DataClass;

/// `policy.toml`. Every key is optional.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Pseudonymisation is on for every profile that is not local, with no override (not for a
    /// sovereign profile, not for one run).
    pub force_pseudonymisation: bool,
    /// Only these data classes may be used (e.g. `["local", "sovereign"]`). Empty: all.
    pub allowed_data_classes: Vec<DataClass>,
    /// Only these profiles may be used (practice mode always may). Empty: all.
    pub allowed_profiles: Vec<String>,
    /// The history may not be turned off.
    pub history_required: bool,
    /// The history keeps runs this many days, whatever config.toml says.
    pub history_retention_days: Option<u32>,
    /// Where the policy was read from (not a key of the file).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Policy {
    /// The platform's policy file, or `$KATIB_POLICY_FILE`.
    pub fn location() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("KATIB_POLICY_FILE") {
            return (!p.is_empty()).then(|| PathBuf::from(p));
        }
        if cfg!(windows) {
            std::env::var_os("ProgramData").map(|d| PathBuf::from(d).join("katib").join("policy.toml"))
        } else if cfg!(target_os = "macos") {
            Some(PathBuf::from("/Library/Application Support/katib/policy.toml"))
        } else {
            Some(PathBuf::from("/etc/katib/policy.toml"))
        }
    }

    /// The machine's policy (the default, nothing locked, when there is no file).
    pub fn load() -> Result<Policy, ConfigError> {
        let Some(path) = Policy::location() else { return Ok(Policy::default()) };
        let mut p: Policy = read_toml(&path)?.unwrap_or_default();
        if p != Policy::default() {
            p.path = Some(path);
        }
        Ok(p)
    }

    fn denied(&self, what: String) -> ConfigError {
        ConfigError::Policy { path: self.path.clone().unwrap_or_default(), what }
    }

    /// Refuses a run on `profile` of `class` that the policy does not allow.
    pub fn check_profile(&self, profile: &str, class: DataClass) -> Result<(), ConfigError> {
        if !self.allowed_profiles.is_empty() && !self.allowed_profiles.iter().any(|p| p == profile) {
            return Err(self.denied(format!("profile '{profile}' is not among the allowed profiles ({})", self.allowed_profiles.join(", "))));
        }
        if !self.allowed_data_classes.is_empty() && !self.allowed_data_classes.contains(&class) {
            let allowed: Vec<&str> = self.allowed_data_classes.iter().map(|c| c.as_str()).collect();
            return Err(self.denied(format!("profile '{profile}' is {} and only {} endpoints are allowed", class.as_str(), allowed.join(", "))));
        }
        Ok(())
    }

    /// Refuses to send personal data unmasked when the policy forces pseudonymisation.
    pub fn check_unmasked(&self, profile: &str) -> Result<(), ConfigError> {
        if self.force_pseudonymisation {
            return Err(self.denied(format!("pseudonymisation is forced: personal data may not be sent unmasked to '{profile}'")));
        }
        Ok(())
    }

    /// Refuses a retention other than the one the policy sets, if it sets one.
    pub fn check_retention(&self, days: Option<u32>) -> Result<(), ConfigError> {
        match self.history_retention_days {
            Some(fixed) if days != Some(fixed) => Err(self.denied(format!("the history's retention is fixed at {fixed} days"))),
            _ => Ok(()),
        }
    }

    /// Refuses profile settings the policy locks: a data class it does not allow, or
    /// pseudonymisation switched off when it is forced. (Which profiles may be used is checked
    /// when one is used: [`Policy::check_profile`].)
    pub fn check_profile_settings(&self, p: &super::Profile) -> Result<(), ConfigError> {
        let class = p.data_class();
        if !self.allowed_data_classes.is_empty() && !self.allowed_data_classes.contains(&class) {
            let allowed: Vec<&str> = self.allowed_data_classes.iter().map(|c| c.as_str()).collect();
            return Err(self.denied(format!("profile '{}' would be {} and only {} endpoints are allowed", p.name, class.as_str(), allowed.join(", "))));
        }
        if self.force_pseudonymisation && p.pseudonymise == Some(false) {
            return Err(self.denied(format!("pseudonymisation is forced: it may not be switched off for '{}'", p.name)));
        }
        Ok(())
    }

    /// Refuses to turn the history off when the policy requires it.
    pub fn check_history_off(&self) -> Result<(), ConfigError> {
        if self.history_required {
            return Err(self.denied("the history may not be turned off".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;

    #[test]
    fn locked_profile_settings_and_retention_are_refused() {
        let p = Policy { force_pseudonymisation: true, allowed_data_classes: vec![DataClass::Local, DataClass::Sovereign], history_retention_days: Some(90), ..Default::default() };
        let mut sovereign = Profile::new("souverain", "https://llm.gov.ma/v1", "m");
        sovereign.data_class = Some(DataClass::Sovereign);
        assert!(p.check_profile_settings(&sovereign).is_ok());
        sovereign.pseudonymise = Some(false);
        let e = p.check_profile_settings(&sovereign).unwrap_err();
        assert!(e.to_string().contains("pseudonymisation is forced"), "{e}");
        let cloud = Profile::new("openai", "https://api.openai.com/v1", "m");
        let e = p.check_profile_settings(&cloud).unwrap_err();
        assert!(e.to_string().contains("cloud"), "{e}");
        assert!(p.check_retention(Some(90)).is_ok());
        assert!(p.check_retention(Some(30)).is_err());
        assert!(p.check_retention(None).is_err());
        assert!(Policy::default().check_retention(Some(30)).is_ok());
    }
}
