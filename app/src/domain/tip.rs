//! Anonymous tips: the receipt code's shape (100 random bits in Crockford's base32, read and
//! typed back without confusion) and the tip's statuses. Drawing a code is the server's job.

named_enum! {
    /// Where a tip stands for the NHRC.
    TipStatus {
        New => "new",
        AwaitingReply => "awaiting_reply",
        Answered => "answered",
        // The NHRC made an observation of it; its thread stays open.
        TakenUp => "taken_up",
        Closed => "closed",
    }
}

impl TipStatus {
    /// The catalogue key naming this status.
    pub fn label_key(self) -> String {
        format!("tip-status-{}", self.as_str())
    }
}

/// Anonymous tips from one address (IPv6: one /64): this many in a row, then one every
/// [`TIP_MINUTES_PER_ADDRESS`] minutes (the limiter's allowance, and the words of its refusal).
pub const TIP_BURST_PER_ADDRESS: u32 = 3;
pub const TIP_MINUTES_PER_ADDRESS: u64 = 10;

/// Crockford's base32: no I, L, O or U, so nothing reads as another character.
pub const RECEIPT_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 20 characters of 5 bits: 100 bits.
pub const RECEIPT_CHARS: usize = 20;
pub const RECEIPT_BITS: usize = RECEIPT_CHARS * 5;

/// A receipt from 20 values below 32, in groups of four: `7K3M-Q9XD-…`.
pub fn format_receipt(values: &[u8; RECEIPT_CHARS]) -> String {
    values
        .chunks(4)
        .map(|group| {
            group
                .iter()
                .map(|v| RECEIPT_ALPHABET[(*v & 31) as usize] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// What the tipster typed, as the canonical receipt: case, spaces and dashes do not matter,
/// and O, I, L read as 0, 1, 1. `None` if it cannot be a receipt.
pub fn normalise_receipt(typed: &str) -> Option<String> {
    let mut values = [0u8; RECEIPT_CHARS];
    let mut count = 0;
    for c in typed.chars() {
        if c.is_whitespace() || c == '-' {
            continue;
        }
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let value = RECEIPT_ALPHABET.iter().position(|a| *a as char == c)?;
        if count == RECEIPT_CHARS {
            return None;
        }
        values[count] = value as u8;
        count += 1;
    }
    (count == RECEIPT_CHARS).then(|| format_receipt(&values))
}

/// The tip's text must say something and stay readable.
pub const TIP_MIN_CHARS: usize = 10;
pub const TIP_MAX_CHARS: usize = 10_000;

pub fn check_tip_text(text: &str) -> Result<(), &'static str> {
    let chars = text.trim().chars().count();
    if chars < TIP_MIN_CHARS {
        Err("error-tip-too-short")
    } else if chars > TIP_MAX_CHARS {
        Err("error-tip-too-long")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_have_at_least_80_bits() {
        assert!(RECEIPT_BITS >= 80);
        assert_eq!(RECEIPT_ALPHABET.len(), 32);
        let distinct: std::collections::HashSet<_> = RECEIPT_ALPHABET.iter().collect();
        assert_eq!(distinct.len(), 32);
    }

    #[test]
    fn typed_receipts_come_back_canonical() {
        let values: [u8; RECEIPT_CHARS] = std::array::from_fn(|i| (i * 7 % 32) as u8);
        let receipt = format_receipt(&values);
        assert_eq!(receipt.len(), RECEIPT_CHARS + 4);
        assert_eq!(
            normalise_receipt(&receipt).as_deref(),
            Some(receipt.as_str())
        );
        let sloppy = receipt.to_lowercase().replace('-', " ");
        assert_eq!(
            normalise_receipt(&sloppy).as_deref(),
            Some(receipt.as_str())
        );
        assert_eq!(
            normalise_receipt("O0IL-0000-0000-0000-0000").as_deref(),
            Some("0011-0000-0000-0000-0000")
        );
        assert_eq!(normalise_receipt("0000-0000-0000-0000"), None);
        assert_eq!(normalise_receipt("0000-0000-0000-0000-0000-0"), None);
        assert_eq!(normalise_receipt("UUUU-0000-0000-0000-0000"), None);
        assert_eq!(normalise_receipt(""), None);
    }

    #[test]
    fn tip_text_limits() {
        assert_eq!(check_tip_text("   court   "), Err("error-tip-too-short"));
        assert_eq!(check_tip_text("Contrôle abusif au poste de Kati"), Ok(()));
        assert_eq!(
            check_tip_text(&"é".repeat(TIP_MAX_CHARS + 1)),
            Err("error-tip-too-long")
        );
    }
}
