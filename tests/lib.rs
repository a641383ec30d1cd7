//! Test-only crate: see tests/src/main.rs.
