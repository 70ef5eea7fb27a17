//! Consent check of an authorization request. (in progress)
