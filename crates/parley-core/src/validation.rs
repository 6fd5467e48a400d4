//! Field-level validation errors: every rule failure is collected under the name
//! of the field that broke it, so a client gets all problems in one 422 answer.

use std::collections::BTreeMap;

/// Field name → why it was refused. Ordered, so error bodies are deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A single field error.
    pub fn one(field: &str, why: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, why);
        e
    }

    /// Records the first problem of `field` (later ones for the same field are dropped).
    pub fn add(&mut self, field: &str, why: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| why.into());
    }

    /// Parses `value` with `parse`; on failure records the reason under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(why) => {
                self.add(field, why);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }

    /// `Ok(())` when nothing was recorded, else the collected errors.
    pub fn finish(self) -> crate::Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Validation(self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_error_per_field() {
        let mut e = FieldErrors::new();
        e.add("username", "too short");
        e.add("username", "bad chars");
        e.add("email", "invalid");
        let v: Vec<_> = e.iter().collect();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1], (&"username".to_owned(), &"too short".to_owned()));
        assert!(FieldErrors::new().finish().is_ok());
        assert!(e.finish().is_err());
    }
}
