//! Working days in Mali: Monday to Friday, except the public holidays kept as data (admins
//! maintain them). Deadlines, overdue flags and automatic escalation are counted with these.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lifecycle::ReferralStatus;

/// Working days after a deadline before the system escalates a referral to the NHRC.
pub const ESCALATION_GRACE_DAYS: u32 = 5;

pub type Holidays = BTreeSet<NaiveDate>;

pub fn is_working_day(day: NaiveDate, holidays: &Holidays) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
}

/// The `days`-th working day after `start` (the day of forwarding itself does not count).
pub fn add_working_days(start: NaiveDate, days: u32, holidays: &Holidays) -> NaiveDate {
    let mut day = start;
    let mut left = days;
    while left > 0 {
        day = day + Days::new(1);
        if is_working_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

/// Working days from `from` (excluded) to `to` (included); zero when `to` is not after `from`.
pub fn working_days_between(from: NaiveDate, to: NaiveDate, holidays: &Holidays) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| is_working_day(*d, holidays))
        .count() as u32
}

/// Which deadline a referral in `status` runs against, if any: acknowledging while it waits
/// for acknowledgement, responding until the institution has responded. None while the
/// institution waits for the organisation's answer to its question: that time is not its
/// delay (the response deadline moves on by as many working days when the answer comes).
pub fn running_deadline(
    status: ReferralStatus,
    ack_due: NaiveDate,
    respond_due: NaiveDate,
) -> Option<NaiveDate> {
    use ReferralStatus as R;
    match status {
        R::Forwarded => Some(ack_due.min(respond_due)),
        R::Acknowledged | R::InProgress | R::Contested => Some(respond_due),
        R::InfoRequested | R::Responded | R::Accepted | R::Escalated | R::Closed => None,
    }
}

/// The day a referral's list sorts it by: its running deadline, or, when none runs, a day
/// after every deadline (9999-12-31, still ordered as text).
pub fn list_due(status: ReferralStatus, ack_due: NaiveDate, respond_due: NaiveDate) -> NaiveDate {
    running_deadline(status, ack_due, respond_due).unwrap_or(NO_DEADLINE)
}

/// The day no deadline falls on.
pub const NO_DEADLINE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Overdue is derived, not a status: the running deadline has passed.
pub fn is_overdue(
    status: ReferralStatus,
    ack_due: NaiveDate,
    respond_due: NaiveDate,
    today: NaiveDate,
) -> bool {
    running_deadline(status, ack_due, respond_due).is_some_and(|due| today > due)
}

/// Past the grace period after the running deadline, the referral escalates by itself.
pub fn escalation_due(
    status: ReferralStatus,
    ack_due: NaiveDate,
    respond_due: NaiveDate,
    today: NaiveDate,
    holidays: &Holidays,
) -> bool {
    running_deadline(status, ack_due, respond_due)
        .is_some_and(|due| today > add_working_days(due, ESCALATION_GRACE_DAYS, holidays))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn weekends_are_skipped() {
        let none = Holidays::new();
        // Friday 2026-11-27 + 1 working day = Monday 2026-11-30.
        assert_eq!(
            add_working_days(day("2026-11-27"), 1, &none),
            day("2026-11-30")
        );
        // Forwarded on a Saturday: the clock starts on Monday.
        assert_eq!(
            add_working_days(day("2026-11-28"), 1, &none),
            day("2026-11-30")
        );
        // Monday + 5 = next Monday.
        assert_eq!(
            add_working_days(day("2026-11-30"), 5, &none),
            day("2026-12-07")
        );
        assert_eq!(
            add_working_days(day("2026-11-30"), 0, &none),
            day("2026-11-30")
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // Independence Day, Tuesday 2026-09-22.
        let holidays: Holidays = [day("2026-09-22")].into();
        // Monday 2026-09-21 + 1 = Wednesday 23 (22 is a holiday).
        assert_eq!(
            add_working_days(day("2026-09-21"), 1, &holidays),
            day("2026-09-23")
        );
        // Friday 18 + 5 = Monday 21, Wednesday 23, Thursday 24, Friday 25, Monday 28.
        assert_eq!(
            add_working_days(day("2026-09-18"), 5, &holidays),
            day("2026-09-28")
        );
        // A holiday on a weekend changes nothing.
        let weekend: Holidays = [day("2026-11-28")].into();
        assert_eq!(
            add_working_days(day("2026-11-27"), 1, &weekend),
            day("2026-11-30")
        );
    }

    #[test]
    fn working_days_between_counts_like_adding() {
        let holidays: Holidays = [day("2026-09-22"), day("2026-12-25")].into();
        let start = day("2026-09-01");
        for n in 0..80 {
            let end = add_working_days(start, n, &holidays);
            assert_eq!(working_days_between(start, end, &holidays), n, "n = {n}");
        }
        assert_eq!(
            working_days_between(day("2026-09-10"), day("2026-09-01"), &holidays),
            0
        );
    }

    #[test]
    fn overdue_follows_the_running_deadline() {
        use ReferralStatus as R;
        let ack = day("2026-12-07");
        let respond = day("2027-01-12");
        assert!(!is_overdue(R::Forwarded, ack, respond, ack));
        assert!(is_overdue(R::Forwarded, ack, respond, day("2026-12-08")));
        // Acknowledged late: now only the response deadline runs.
        assert!(!is_overdue(
            R::Acknowledged,
            ack,
            respond,
            day("2026-12-08")
        ));
        assert!(is_overdue(R::InProgress, ack, respond, day("2027-01-13")));
        assert!(is_overdue(R::Contested, ack, respond, day("2027-01-13")));
        // Waiting for the organisation's answer stops the institution's clock.
        assert!(!is_overdue(
            R::InfoRequested,
            ack,
            respond,
            day("2027-01-13")
        ));
        assert!(!escalation_due(
            R::InfoRequested,
            ack,
            respond,
            day("2030-01-01"),
            &Holidays::new()
        ));
        for settled in [R::Responded, R::Accepted, R::Escalated, R::Closed] {
            assert!(!is_overdue(settled, ack, respond, day("2030-01-01")));
        }
    }

    #[test]
    fn escalation_waits_for_the_grace_period() {
        use ReferralStatus as R;
        let none = Holidays::new();
        // Acknowledgement due Monday 2026-12-07; grace of 5 working days ends Monday 14.
        let ack = day("2026-12-07");
        let respond = day("2027-01-12");
        assert!(!escalation_due(
            R::Forwarded,
            ack,
            respond,
            day("2026-12-14"),
            &none
        ));
        assert!(escalation_due(
            R::Forwarded,
            ack,
            respond,
            day("2026-12-15"),
            &none
        ));
        assert!(!escalation_due(
            R::Acknowledged,
            ack,
            respond,
            day("2026-12-15"),
            &none
        ));
    }
}
