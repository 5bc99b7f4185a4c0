//! Token amounts: decimal strings in token units <-> base units.
//!
//! ```
//! use usd1_client::amount::{format_amount, parse_amount};
//! assert_eq!(parse_amount("250.5", 6).unwrap(), 250_500_000);
//! assert_eq!(format_amount(250_500_000, 6), "250.5");
//! assert!(parse_amount("1.0000001", 6).is_err()); // more decimals than the mint has
//! assert!(parse_amount("-1", 6).is_err());
//! ```

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AmountError {
    #[error("amount is empty")]
    Empty,
    #[error("amount `{0}` is negative; amounts are never negative")]
    Negative(String),
    #[error("amount `{0}` is not a decimal number (digits, at most one `.`)")]
    NotANumber(String),
    #[error("amount `{input}` has {found} decimals; this mint has {decimals}")]
    TooManyDecimals { input: String, found: usize, decimals: u8 },
    #[error("amount `{0}` is too large for a u64 of base units")]
    Overflow(String),
}

/// Parse `"250.5"` into base units for a mint with `decimals` decimals.
pub fn parse_amount(input: &str, decimals: u8) -> Result<u64, AmountError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.starts_with('-') {
        return Err(AmountError::Negative(input.to_string()));
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(AmountError::NotANumber(input.to_string()));
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > usize::from(decimals) {
        return Err(AmountError::TooManyDecimals { input: input.to_string(), found: fraction.len(), decimals });
    }
    let overflow = || AmountError::Overflow(input.to_string());
    let scale = 10u64.checked_pow(u32::from(decimals)).ok_or_else(overflow)?;
    let whole_units = if whole.is_empty() { 0 } else { whole.parse::<u64>().map_err(|_| overflow())? };
    let fraction_units = if fraction.is_empty() {
        0
    } else {
        let padding = 10u64.pow((usize::from(decimals) - fraction.len()) as u32);
        fraction.parse::<u64>().map_err(|_| overflow())? * padding
    };
    whole_units.checked_mul(scale).and_then(|units| units.checked_add(fraction_units)).ok_or_else(overflow)
}

/// Format base units as a decimal string without trailing zeros: `250500000` -> `"250.5"`.
pub fn format_amount(base_units: u64, decimals: u8) -> String {
    let scale = 10u128.pow(u32::from(decimals));
    let value = u128::from(base_units);
    let (whole, fraction) = (value / scale, value % scale);
    if fraction == 0 {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// The token's symbol where a reader sees amounts and the mint's metadata is not at hand.
pub const SYMBOL: &str = "USD1";

/// Base units as a person reads them: token units grouped by thousands, with the symbol:
/// `1000000000000` (6 decimals) -> `"1,000,000 USD1"`, `250500000` -> `"250.5 USD1"`.
pub fn format_token_amount(base_units: u64, decimals: u8, symbol: &str) -> String {
    let plain = format_amount(base_units, decimals);
    let (whole, fraction) = plain.split_once('.').map_or((plain.as_str(), None), |(whole, fraction)| (whole, Some(fraction)));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{grouped}.{fraction} {symbol}"),
        None => format!("{grouped} {symbol}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_amounts_for_people() {
        assert_eq!(format_token_amount(1_000_000_000_000, 6, SYMBOL), "1,000,000 USD1");
        assert_eq!(format_token_amount(250_500_000, 6, SYMBOL), "250.5 USD1");
        assert_eq!(format_token_amount(0, 6, SYMBOL), "0 USD1");
        assert_eq!(format_token_amount(999_000_001, 6, SYMBOL), "999.000001 USD1");
        assert_eq!(format_token_amount(1_234_567_000_000, 6, "PUSD"), "1,234,567 PUSD");
        assert_eq!(format_token_amount(u64::MAX, 0, SYMBOL), "18,446,744,073,709,551,615 USD1");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_amount("0", 6), Ok(0));
        assert_eq!(parse_amount("1", 6), Ok(1_000_000));
        assert_eq!(parse_amount(".5", 6), Ok(500_000));
        assert_eq!(parse_amount("1.", 6), Ok(1_000_000));
        assert_eq!(parse_amount("1.000000", 6), Ok(1_000_000));
        assert_eq!(parse_amount("0.000001", 6), Ok(1));
        assert_eq!(parse_amount("18446744073709.551615", 6), Ok(u64::MAX));
        assert_eq!(parse_amount("18446744073709.551616", 6), Err(AmountError::Overflow("18446744073709.551616".into())));
        assert!(matches!(parse_amount("1.0000001", 6), Err(AmountError::TooManyDecimals { found: 7, .. })));
        assert!(matches!(parse_amount("-1", 6), Err(AmountError::Negative(_))));
        assert!(matches!(parse_amount("1e6", 6), Err(AmountError::NotANumber(_))));
        assert!(matches!(parse_amount("1.2.3", 6), Err(AmountError::NotANumber(_))));
        assert!(matches!(parse_amount(".", 6), Err(AmountError::NotANumber(_))));
        assert_eq!(parse_amount("", 6), Err(AmountError::Empty));
        assert_eq!(parse_amount("7", 0), Ok(7));
        assert!(matches!(parse_amount("7.1", 0), Err(AmountError::TooManyDecimals { .. })));
    }

    #[test]
    fn formats_round_trip() {
        for (units, text) in [(0, "0"), (1, "0.000001"), (250_500_000, "250.5"), (u64::MAX, "18446744073709.551615")] {
            assert_eq!(format_amount(units, 6), text);
            assert_eq!(parse_amount(text, 6), Ok(units));
        }
    }
}
