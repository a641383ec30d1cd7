//! Tips the portal did not take yet (the rate limit held them back), kept a few minutes in
//! memory only so that the form shows them again once: never on disk, in the database or logs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::tip::TipDraft;
use crate::server::sha256_hex;

const LIFETIME: Duration = Duration::from_secs(600);
/// At most this many at once, the oldest going first: refused posts must not fill the memory.
const MOST: usize = 200;

/// Held tips under the SHA-256 of a random token the browser holds in a cookie.
#[derive(Clone, Default)]
pub struct DraftFlash(Arc<Mutex<HashMap<String, (TipDraft, Instant)>>>);

impl DraftFlash {
    pub fn put(&self, draft: TipDraft) -> String {
        let token = crate::server::random_token(16);
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (_, since)| since.elapsed() < LIFETIME);
            if map.len() >= MOST
                && let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, (_, since))| *since)
                    .map(|(key, _)| key.clone())
            {
                map.remove(&oldest);
            }
            map.insert(sha256_hex(&token), (draft, Instant::now()));
        }
        token
    }

    pub fn take(&self, token: &str) -> Option<TipDraft> {
        let mut map = self.0.lock().ok()?;
        map.retain(|_, (_, since)| since.elapsed() < LIFETIME);
        map.remove(&sha256_hex(token)).map(|(draft, _)| draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_taken_once_and_the_oldest_goes_first() {
        let flash = DraftFlash::default();
        let first = flash.put(TipDraft {
            body: "premier".into(),
            ..TipDraft::default()
        });
        for _ in 1..MOST {
            flash.put(TipDraft::default());
        }
        let last = flash.put(TipDraft {
            body: "dernier".into(),
            ..TipDraft::default()
        });
        assert_eq!(flash.take(&first), None, "the oldest went");
        assert_eq!(flash.take(&last).map(|d| d.body), Some("dernier".into()));
        assert_eq!(flash.take(&last), None, "once");
    }
}
