//! Who is told what (DESIGN §5, issue 4): each lifecycle event maps to one mail template, and
//! each template to the audiences that receive it. The actor who caused an event is never
//! mailed about it (the outbox skips them). Pure: tested without a database.

use super::lifecycle::{ObservationAction, ReferralAction};

named_enum!(
    /// One mail per template and language; the subject and body say only the reference, the
    /// new status and, where allowed, the institution.
    Template {
        Submitted => "submitted",
        InfoRequested => "info_requested",
        InfoProvided => "info_provided",
        Forwarded => "forwarded",
        Acknowledged => "acknowledged",
        Responded => "responded",
        Contested => "contested",
        Escalated => "escalated",
        Returned => "returned",
        Declined => "declined",
        Closed => "closed",
        Reminder => "reminder",
        Overdue => "overdue",
        Accepted => "accepted",
        ReferralClosed => "referral_closed",
        Reopened => "reopened",
        TipReceived => "tip_received",
        TipReply => "tip_reply",
    }
);

/// The template name of the daily digest's rows, which sum up mails of the other templates.
pub const DIGEST_TEMPLATE: &str = "digest";

named_enum!(
    /// How a user wants their mail.
    Preference {
        Immediate => "immediate",
        Daily => "daily",
        Off => "off",
    }
);

named_enum!(
    /// Where a row of the outbox stands: `pending` (due at its next attempt), `sending`
    /// (claimed by a worker), `sent`, `dead` (given up), `digest` (kept for the recipient's
    /// daily digest) or `digested` (summarised in a digest that was queued).
    MailState {
        Pending => "pending",
        Sending => "sending",
        Sent => "sent",
        Dead => "dead",
        Digest => "digest",
        Digested => "digested",
    }
);

impl MailState {
    /// The catalogue key naming this state on the admin's mail page, which lists only `dead`
    /// and `pending` rows: the other states have no name in the catalogues.
    pub fn label_key(self) -> String {
        format!("state-{}", self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The active members and coordinators of the filing organisation.
    Organisation,
    /// The active liaisons of the referral's institution.
    Institution,
    /// The active liaisons of every institution the observation has a referral with (a
    /// reopened case concerns them all).
    Institutions,
    /// NHRC monitors.
    Nhrc,
}

impl Template {
    pub fn audiences(self) -> &'static [Audience] {
        use Audience::*;
        match self {
            Template::Submitted => &[Organisation, Nhrc],
            Template::InfoRequested => &[Organisation],
            Template::InfoProvided => &[Institution, Nhrc],
            Template::Forwarded => &[Organisation, Institution],
            Template::Acknowledged => &[Organisation],
            Template::Responded => &[Organisation],
            Template::Contested => &[Institution, Nhrc],
            Template::Escalated => &[Organisation, Institution, Nhrc],
            Template::Returned => &[Institution],
            Template::Declined => &[Organisation],
            Template::Closed => &[Organisation],
            Template::Reminder => &[Institution],
            Template::Overdue => &[Institution, Nhrc],
            Template::Accepted => &[Institution],
            Template::ReferralClosed => &[Institution],
            Template::Reopened => &[Organisation, Institutions],
            Template::TipReceived | Template::TipReply => &[Nhrc],
        }
    }

    /// Mails about an anonymous tip: they lead to the tip, carry no reference, and go out at
    /// most once an hour per tip.
    pub fn is_about_tip(self) -> bool {
        matches!(self, Template::TipReceived | Template::TipReply)
    }

    /// The catalogue key of the words a daily digest gives for this change ("répondue").
    pub fn change_key(self) -> String {
        format!("mail-change-{}", self.as_str())
    }

    /// Whether the institution's acronym may appear in this mail for `audience` (the
    /// organisation and the NHRC know where a case was forwarded; an institution only its own).
    pub fn names_institution(self, audience: Audience) -> bool {
        !matches!(
            self,
            Template::Submitted | Template::Declined | Template::Closed
        ) || audience == Audience::Institution
    }

    pub fn of_observation_action(action: ObservationAction) -> Option<Template> {
        match action {
            ObservationAction::Submit => Some(Template::Submitted),
            ObservationAction::AskInfo => Some(Template::InfoRequested),
            ObservationAction::Clarify => Some(Template::InfoProvided),
            ObservationAction::Forward => Some(Template::Forwarded),
            ObservationAction::Decline => Some(Template::Declined),
            ObservationAction::Close | ObservationAction::Withdraw => Some(Template::Closed),
            ObservationAction::Reopen => Some(Template::Reopened),
        }
    }

    pub fn of_referral_action(action: ReferralAction) -> Option<Template> {
        match action {
            ReferralAction::Acknowledge => Some(Template::Acknowledged),
            ReferralAction::AskInfo => Some(Template::InfoRequested),
            ReferralAction::Clarify => Some(Template::InfoProvided),
            ReferralAction::Respond => Some(Template::Responded),
            ReferralAction::Contest => Some(Template::Contested),
            ReferralAction::Escalate => Some(Template::Escalated),
            ReferralAction::Return => Some(Template::Returned),
            ReferralAction::Accept => Some(Template::Accepted),
            ReferralAction::Close => Some(Template::ReferralClosed),
            ReferralAction::Start => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Audience::*;

    /// The issues' lists, written out: (template, organisation, liaisons, NHRC).
    const EXPECTED: &[(Template, bool, bool, bool)] = &[
        (Template::Submitted, true, false, true),
        (Template::InfoRequested, true, false, false),
        (Template::InfoProvided, false, true, true),
        (Template::Forwarded, true, true, false),
        (Template::Acknowledged, true, false, false),
        (Template::Responded, true, false, false),
        (Template::Contested, false, true, true),
        (Template::Escalated, true, true, true),
        (Template::Returned, false, true, false),
        (Template::Declined, true, false, false),
        (Template::Closed, true, false, false),
        (Template::Reminder, false, true, false),
        (Template::Overdue, false, true, true),
        (Template::Accepted, false, true, false),
        (Template::ReferralClosed, false, true, false),
        (Template::Reopened, true, true, false),
        (Template::TipReceived, false, false, true),
        (Template::TipReply, false, false, true),
    ];

    #[test]
    fn every_template_reaches_exactly_its_audiences() {
        assert_eq!(EXPECTED.len(), Template::ALL.len());
        for (template, organisation, institution, nhrc) in EXPECTED {
            let audiences = template.audiences();
            assert_eq!(
                audiences.contains(&Organisation),
                *organisation,
                "{template:?}"
            );
            assert_eq!(
                audiences.contains(&Institution) || audiences.contains(&Institutions),
                *institution,
                "{template:?}"
            );
            assert_eq!(audiences.contains(&Nhrc), *nhrc, "{template:?}");
        }
    }

    #[test]
    fn every_notifying_action_has_a_template() {
        for action in ObservationAction::ALL {
            assert!(
                Template::of_observation_action(*action).is_some(),
                "{action:?}"
            );
        }
        // Starting an investigation is the institution's own business.
        let silent = [ReferralAction::Start];
        for action in ReferralAction::ALL {
            assert_eq!(
                Template::of_referral_action(*action).is_some(),
                !silent.contains(action),
                "{action:?}"
            );
        }
    }

    /// Issue 14: the institution hears that its response was accepted and that its referral
    /// was closed or escalated; a reopened case reaches every institution it was forwarded
    /// to; tips reach the NHRC alone.
    #[test]
    fn the_new_mails_reach_their_people() {
        assert_eq!(
            Template::of_referral_action(ReferralAction::Accept),
            Some(Template::Accepted)
        );
        assert_eq!(
            Template::of_referral_action(ReferralAction::Close),
            Some(Template::ReferralClosed)
        );
        assert_eq!(
            Template::of_observation_action(ObservationAction::Reopen),
            Some(Template::Reopened)
        );
        assert!(Template::Escalated.audiences().contains(&Institution));
        assert_eq!(
            Template::Reopened.audiences(),
            &[Organisation, Institutions]
        );
        for template in Template::ALL {
            assert_eq!(
                template.is_about_tip(),
                template.audiences() == [Nhrc] && template.as_str().starts_with("tip_"),
                "{template:?}"
            );
        }
    }
}
