//! The two linked state machines of DESIGN §4 — the observation (the CSO's and the NHRC's view
//! of a case) and one referral per institution it was forwarded to — each as one table of who
//! may do what from which status, and whether a note (reason, question, response) is required.
//! Scoping (which observation a user may touch at all) is not decided here.

use super::Role;

/// The side a role acts for in the lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Cso,
    Nhrc,
    Institution,
}

impl Party {
    /// Admins manage accounts and reference data, and take no part in cases.
    pub fn of(role: Role) -> Option<Party> {
        match role {
            Role::CsoMember | Role::CsoCoordinator => Some(Party::Cso),
            Role::Monitor => Some(Party::Nhrc),
            Role::Liaison => Some(Party::Institution),
            Role::Admin => None,
        }
    }
}

/// Where an allowed action leads, and whether it must carry a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition<S> {
    pub to: S,
    pub note_required: bool,
}

named_enum!(ObservationStatus {
    Draft => "draft",
    Submitted => "submitted",
    NeedsInfo => "needs_info",
    Referred => "referred",
    Declined => "declined",
    Closed => "closed",
});

named_enum!(ObservationAction {
    Submit => "submit",
    AskInfo => "ask_info",
    Clarify => "clarify",
    Forward => "forward",
    Decline => "decline",
    Close => "close",
    Reopen => "reopen",
    Withdraw => "withdraw",
});

named_enum!(ReferralStatus {
    Forwarded => "forwarded",
    Acknowledged => "acknowledged",
    InProgress => "in_progress",
    InfoRequested => "info_requested",
    Responded => "responded",
    Accepted => "accepted",
    Contested => "contested",
    Escalated => "escalated",
    Closed => "closed",
});

named_enum!(ReferralAction {
    Acknowledge => "acknowledge",
    Start => "start",
    AskInfo => "ask_info",
    Clarify => "clarify",
    Respond => "respond",
    Accept => "accept",
    Contest => "contest",
    Escalate => "escalate",
    Return => "return",
    Close => "close",
});

named_enum!(
    /// What a line on a case's timeline records: a status change (named by its action), or a
    /// note, a document, an automatic step, a tip's thread.
    EventKind {
        Submit => "submit",
        AskInfo => "ask_info",
        Clarify => "clarify",
        Forward => "forward",
        Decline => "decline",
        Close => "close",
        Reopen => "reopen",
        Withdraw => "withdraw",
        Acknowledge => "acknowledge",
        Start => "start",
        Respond => "respond",
        Accept => "accept",
        Contest => "contest",
        Escalate => "escalate",
        Return => "return",
        Comment => "comment",
        ActionTaken => "action_taken",
        DocumentAdded => "document_added",
        ClosedWithObservation => "closed_with_observation",
        AutoEscalate => "auto_escalate",
        FromTip => "from_tip",
        TipQuestion => "tip_question",
        TipReply => "tip_reply",
    }
);

impl EventKind {
    /// The catalogue key naming the line.
    pub fn label_key(self) -> String {
        format!("event-{}", self.as_str())
    }
}

impl From<ObservationAction> for EventKind {
    fn from(action: ObservationAction) -> EventKind {
        use ObservationAction as A;
        match action {
            A::Submit => EventKind::Submit,
            A::AskInfo => EventKind::AskInfo,
            A::Clarify => EventKind::Clarify,
            A::Forward => EventKind::Forward,
            A::Decline => EventKind::Decline,
            A::Close => EventKind::Close,
            A::Reopen => EventKind::Reopen,
            A::Withdraw => EventKind::Withdraw,
        }
    }
}

impl From<ReferralAction> for EventKind {
    fn from(action: ReferralAction) -> EventKind {
        use ReferralAction as A;
        match action {
            A::Acknowledge => EventKind::Acknowledge,
            A::Start => EventKind::Start,
            A::AskInfo => EventKind::AskInfo,
            A::Clarify => EventKind::Clarify,
            A::Respond => EventKind::Respond,
            A::Accept => EventKind::Accept,
            A::Contest => EventKind::Contest,
            A::Escalate => EventKind::Escalate,
            A::Return => EventKind::Return,
            A::Close => EventKind::Close,
        }
    }
}

/// One row of a machine: `party` may do `action` from any of `from`, leading to `to`.
struct Rule<S: 'static, A> {
    action: A,
    party: Party,
    from: &'static [S],
    to: S,
    note_required: bool,
}

use ObservationStatus as O;
use ReferralStatus as R;

const OPEN_OBSERVATION: &[ObservationStatus] = &[O::Submitted, O::NeedsInfo, O::Referred];

const OBSERVATION_RULES: &[Rule<ObservationStatus, ObservationAction>] = &[
    Rule {
        action: ObservationAction::Submit,
        party: Party::Cso,
        from: &[O::Draft],
        to: O::Submitted,
        note_required: false,
    },
    Rule {
        action: ObservationAction::AskInfo,
        party: Party::Nhrc,
        from: &[O::Submitted],
        to: O::NeedsInfo,
        note_required: true,
    },
    Rule {
        action: ObservationAction::Clarify,
        party: Party::Cso,
        from: &[O::NeedsInfo],
        to: O::Submitted,
        note_required: true,
    },
    // Forwarding again from `referred` adds a referral for another institution.
    Rule {
        action: ObservationAction::Forward,
        party: Party::Nhrc,
        from: &[O::Submitted, O::Referred],
        to: O::Referred,
        note_required: false,
    },
    Rule {
        action: ObservationAction::Decline,
        party: Party::Nhrc,
        from: &[O::Submitted, O::NeedsInfo],
        to: O::Declined,
        note_required: true,
    },
    // The resolution is chosen on closing; whether open referrals need a reason is the service's
    // check. From triage too: a reopened case, or one never forwarded (`referred_elsewhere`).
    Rule {
        action: ObservationAction::Close,
        party: Party::Nhrc,
        from: &[O::Submitted, O::NeedsInfo, O::Referred],
        to: O::Closed,
        note_required: false,
    },
    // Reopened cases go back to triage, where the NHRC forwards again, declines or closes.
    Rule {
        action: ObservationAction::Reopen,
        party: Party::Nhrc,
        from: &[O::Closed, O::Declined],
        to: O::Submitted,
        note_required: true,
    },
    Rule {
        action: ObservationAction::Withdraw,
        party: Party::Cso,
        from: OPEN_OBSERVATION,
        to: O::Closed,
        note_required: false,
    },
];

const OPEN_REFERRAL: &[ReferralStatus] = &[
    R::Forwarded,
    R::Acknowledged,
    R::InProgress,
    R::InfoRequested,
    R::Responded,
    R::Contested,
];

const REFERRAL_RULES: &[Rule<ReferralStatus, ReferralAction>] = &[
    Rule {
        action: ReferralAction::Acknowledge,
        party: Party::Institution,
        from: &[R::Forwarded],
        to: R::Acknowledged,
        note_required: false,
    },
    Rule {
        action: ReferralAction::Start,
        party: Party::Institution,
        from: &[R::Acknowledged],
        to: R::InProgress,
        note_required: false,
    },
    Rule {
        action: ReferralAction::AskInfo,
        party: Party::Institution,
        from: &[R::Acknowledged, R::InProgress],
        to: R::InfoRequested,
        note_required: true,
    },
    Rule {
        action: ReferralAction::Clarify,
        party: Party::Cso,
        from: &[R::InfoRequested],
        to: R::Acknowledged,
        note_required: true,
    },
    // Responding again answers a contested response.
    Rule {
        action: ReferralAction::Respond,
        party: Party::Institution,
        from: &[R::Acknowledged, R::InProgress, R::Contested],
        to: R::Responded,
        note_required: true,
    },
    Rule {
        action: ReferralAction::Accept,
        party: Party::Cso,
        from: &[R::Responded],
        to: R::Accepted,
        note_required: false,
    },
    Rule {
        action: ReferralAction::Contest,
        party: Party::Cso,
        from: &[R::Responded],
        to: R::Contested,
        note_required: true,
    },
    Rule {
        action: ReferralAction::Escalate,
        party: Party::Nhrc,
        from: OPEN_REFERRAL,
        to: R::Escalated,
        note_required: true,
    },
    Rule {
        action: ReferralAction::Return,
        party: Party::Nhrc,
        from: &[R::Escalated],
        to: R::InProgress,
        note_required: true,
    },
    Rule {
        action: ReferralAction::Close,
        party: Party::Nhrc,
        from: &[R::Accepted, R::Escalated],
        to: R::Closed,
        note_required: false,
    },
    // The NHRC may settle a contested response itself instead of escalating it: the note is
    // its resolution, on the timeline (the closing is audited like any other).
    Rule {
        action: ReferralAction::Close,
        party: Party::Nhrc,
        from: &[R::Contested],
        to: R::Closed,
        note_required: true,
    },
];

fn find<S: Copy + PartialEq, A: Copy + PartialEq>(
    rules: &[Rule<S, A>],
    status: S,
    role: Role,
    action: A,
) -> Option<Transition<S>> {
    let party = Party::of(role)?;
    rules
        .iter()
        .find(|r| r.action == action && r.party == party && r.from.contains(&status))
        .map(|r| Transition {
            to: r.to,
            note_required: r.note_required,
        })
}

pub fn observation_transition(
    status: ObservationStatus,
    role: Role,
    action: ObservationAction,
) -> Option<Transition<ObservationStatus>> {
    find(OBSERVATION_RULES, status, role, action)
}

pub fn referral_transition(
    status: ReferralStatus,
    role: Role,
    action: ReferralAction,
) -> Option<Transition<ReferralStatus>> {
    find(REFERRAL_RULES, status, role, action)
}

/// Whether `party` may do `action` from at least one status.
fn somewhere<S, A: Copy + PartialEq>(rules: &[Rule<S, A>], party: Party, action: A) -> bool {
    rules.iter().any(|r| r.action == action && r.party == party)
}

/// Whether `role` may do `action` on an observation in some status. When a refused action is
/// one of these, the status moved on since the page was drawn (someone else acted first):
/// the page is out of date rather than the action forbidden.
pub fn observation_allowed_somewhere(role: Role, action: ObservationAction) -> bool {
    Party::of(role).is_some_and(|party| somewhere(OBSERVATION_RULES, party, action))
}

/// The same for a referral.
pub fn referral_allowed_somewhere(role: Role, action: ReferralAction) -> bool {
    Party::of(role).is_some_and(|party| somewhere(REFERRAL_RULES, party, action))
}

/// What the UI offers a viewer on an observation in `status`.
pub fn observation_actions(status: ObservationStatus, role: Role) -> Vec<ObservationAction> {
    ObservationAction::ALL
        .iter()
        .copied()
        .filter(|a| observation_transition(status, role, *a).is_some())
        .collect()
}

/// What the UI offers a viewer on a referral in `status`.
pub fn referral_actions(status: ReferralStatus, role: Role) -> Vec<ReferralAction> {
    ReferralAction::ALL
        .iter()
        .copied()
        .filter(|a| referral_transition(status, role, *a).is_some())
        .collect()
}

impl ReferralStatus {
    /// Open referrals run against their deadlines and may be escalated.
    pub fn is_open(self) -> bool {
        OPEN_REFERRAL.contains(&self)
    }

    /// The stored names of the open statuses, for queries.
    pub fn open_names() -> Vec<&'static str> {
        OPEN_REFERRAL.iter().map(|s| s.as_str()).collect()
    }

    /// The catalogue key naming this status.
    pub fn label_key(self) -> String {
        format!("status-ref-{}", self.as_str())
    }
}

impl ObservationAction {
    /// The catalogue key naming this action (its button).
    pub fn label_key(self) -> String {
        format!("action-obs-{}", self.as_str())
    }

    /// Whether it ends the follow-up of the case (offered last, and only once the reader says
    /// they mean it).
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ObservationAction::Close | ObservationAction::Decline | ObservationAction::Withdraw
        )
    }
}

impl ReferralAction {
    /// The catalogue key naming this action (its button).
    pub fn label_key(self) -> String {
        format!("action-ref-{}", self.as_str())
    }

    /// Whether it ends the follow-up of the referral.
    pub fn is_terminal(self) -> bool {
        self == ReferralAction::Close
    }
}

impl ObservationStatus {
    /// The catalogue key naming this status.
    pub fn label_key(self) -> String {
        format!("status-obs-{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole observation machine, written out independently of the table: (from, party,
    /// action) → (to, note required). Anything not listed is refused.
    const EXPECTED_OBSERVATION: &[(O, Party, ObservationAction, O, bool)] = &[
        (
            O::Draft,
            Party::Cso,
            ObservationAction::Submit,
            O::Submitted,
            false,
        ),
        (
            O::Submitted,
            Party::Nhrc,
            ObservationAction::AskInfo,
            O::NeedsInfo,
            true,
        ),
        (
            O::NeedsInfo,
            Party::Cso,
            ObservationAction::Clarify,
            O::Submitted,
            true,
        ),
        (
            O::Submitted,
            Party::Nhrc,
            ObservationAction::Forward,
            O::Referred,
            false,
        ),
        (
            O::Referred,
            Party::Nhrc,
            ObservationAction::Forward,
            O::Referred,
            false,
        ),
        (
            O::Submitted,
            Party::Nhrc,
            ObservationAction::Decline,
            O::Declined,
            true,
        ),
        (
            O::NeedsInfo,
            Party::Nhrc,
            ObservationAction::Decline,
            O::Declined,
            true,
        ),
        (
            O::Submitted,
            Party::Nhrc,
            ObservationAction::Close,
            O::Closed,
            false,
        ),
        (
            O::NeedsInfo,
            Party::Nhrc,
            ObservationAction::Close,
            O::Closed,
            false,
        ),
        (
            O::Referred,
            Party::Nhrc,
            ObservationAction::Close,
            O::Closed,
            false,
        ),
        (
            O::Closed,
            Party::Nhrc,
            ObservationAction::Reopen,
            O::Submitted,
            true,
        ),
        (
            O::Declined,
            Party::Nhrc,
            ObservationAction::Reopen,
            O::Submitted,
            true,
        ),
        (
            O::Submitted,
            Party::Cso,
            ObservationAction::Withdraw,
            O::Closed,
            false,
        ),
        (
            O::NeedsInfo,
            Party::Cso,
            ObservationAction::Withdraw,
            O::Closed,
            false,
        ),
        (
            O::Referred,
            Party::Cso,
            ObservationAction::Withdraw,
            O::Closed,
            false,
        ),
    ];

    const EXPECTED_REFERRAL: &[(R, Party, ReferralAction, R, bool)] = &[
        (
            R::Forwarded,
            Party::Institution,
            ReferralAction::Acknowledge,
            R::Acknowledged,
            false,
        ),
        (
            R::Acknowledged,
            Party::Institution,
            ReferralAction::Start,
            R::InProgress,
            false,
        ),
        (
            R::Acknowledged,
            Party::Institution,
            ReferralAction::AskInfo,
            R::InfoRequested,
            true,
        ),
        (
            R::InProgress,
            Party::Institution,
            ReferralAction::AskInfo,
            R::InfoRequested,
            true,
        ),
        (
            R::InfoRequested,
            Party::Cso,
            ReferralAction::Clarify,
            R::Acknowledged,
            true,
        ),
        (
            R::Acknowledged,
            Party::Institution,
            ReferralAction::Respond,
            R::Responded,
            true,
        ),
        (
            R::InProgress,
            Party::Institution,
            ReferralAction::Respond,
            R::Responded,
            true,
        ),
        (
            R::Contested,
            Party::Institution,
            ReferralAction::Respond,
            R::Responded,
            true,
        ),
        (
            R::Responded,
            Party::Cso,
            ReferralAction::Accept,
            R::Accepted,
            false,
        ),
        (
            R::Responded,
            Party::Cso,
            ReferralAction::Contest,
            R::Contested,
            true,
        ),
        (
            R::Forwarded,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::Acknowledged,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::InProgress,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::InfoRequested,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::Responded,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::Contested,
            Party::Nhrc,
            ReferralAction::Escalate,
            R::Escalated,
            true,
        ),
        (
            R::Escalated,
            Party::Nhrc,
            ReferralAction::Return,
            R::InProgress,
            true,
        ),
        (
            R::Accepted,
            Party::Nhrc,
            ReferralAction::Close,
            R::Closed,
            false,
        ),
        (
            R::Escalated,
            Party::Nhrc,
            ReferralAction::Close,
            R::Closed,
            false,
        ),
        (
            R::Contested,
            Party::Nhrc,
            ReferralAction::Close,
            R::Closed,
            true,
        ),
    ];

    /// Compares `transition` with the `expected` list for every status × role × action;
    /// returns how many combinations were checked.
    fn check_machine<S, A>(
        statuses: &[S],
        actions: &[A],
        expected: &[(S, Party, A, S, bool)],
        transition: fn(S, Role, A) -> Option<Transition<S>>,
    ) -> usize
    where
        S: Copy + PartialEq + std::fmt::Debug,
        A: Copy + PartialEq + std::fmt::Debug,
    {
        let mut checked = 0;
        for &status in statuses {
            for role in Role::ALL {
                for &action in actions {
                    let wanted = Party::of(role).and_then(|party| {
                        expected
                            .iter()
                            .find(|e| e.0 == status && e.1 == party && e.2 == action)
                            .map(|e| Transition {
                                to: e.3,
                                note_required: e.4,
                            })
                    });
                    assert_eq!(
                        transition(status, role, action),
                        wanted,
                        "{status:?} {role:?} {action:?}"
                    );
                    checked += 1;
                }
            }
        }
        checked
    }

    #[test]
    fn every_action_is_an_event_of_the_same_name() {
        for action in ObservationAction::ALL {
            assert_eq!(EventKind::from(*action).as_str(), action.as_str());
        }
        for action in ReferralAction::ALL {
            assert_eq!(EventKind::from(*action).as_str(), action.as_str());
        }
    }

    #[test]
    fn observation_machine_every_status_role_and_action() {
        let checked = check_machine(
            ObservationStatus::ALL,
            ObservationAction::ALL,
            EXPECTED_OBSERVATION,
            observation_transition,
        );
        assert_eq!(checked, 6 * 5 * 8);
    }

    #[test]
    fn referral_machine_every_status_role_and_action() {
        let checked = check_machine(
            ReferralStatus::ALL,
            ReferralAction::ALL,
            EXPECTED_REFERRAL,
            referral_transition,
        );
        assert_eq!(checked, 9 * 5 * 10);
    }

    #[test]
    fn allowed_somewhere_matches_the_written_out_machines() {
        for role in Role::ALL {
            for &action in ObservationAction::ALL {
                let expected = Party::of(role).is_some_and(|party| {
                    EXPECTED_OBSERVATION
                        .iter()
                        .any(|e| e.1 == party && e.2 == action)
                });
                assert_eq!(
                    observation_allowed_somewhere(role, action),
                    expected,
                    "{role:?} {action:?}"
                );
            }
            for &action in ReferralAction::ALL {
                let expected = Party::of(role).is_some_and(|party| {
                    EXPECTED_REFERRAL
                        .iter()
                        .any(|e| e.1 == party && e.2 == action)
                });
                assert_eq!(
                    referral_allowed_somewhere(role, action),
                    expected,
                    "{role:?} {action:?}"
                );
            }
        }
        // The cases the service tells apart: a liaison acknowledging twice is out of date; a
        // CSO member acknowledging, or an admin doing anything, is refused.
        assert!(referral_allowed_somewhere(
            Role::Liaison,
            ReferralAction::Acknowledge
        ));
        assert!(!referral_allowed_somewhere(
            Role::CsoMember,
            ReferralAction::Acknowledge
        ));
        assert!(!observation_allowed_somewhere(
            Role::Liaison,
            ObservationAction::Forward
        ));
        assert!(!observation_allowed_somewhere(
            Role::Admin,
            ObservationAction::Close
        ));
    }

    #[test]
    fn admins_take_no_part_and_coordinators_act_as_members() {
        for &status in ReferralStatus::ALL {
            assert!(referral_actions(status, Role::Admin).is_empty());
            assert_eq!(
                referral_actions(status, Role::CsoMember),
                referral_actions(status, Role::CsoCoordinator)
            );
        }
        for &status in ObservationStatus::ALL {
            assert!(observation_actions(status, Role::Admin).is_empty());
            assert!(
                observation_actions(status, Role::Liaison).is_empty(),
                "liaisons act on referrals only"
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for s in ObservationStatus::ALL {
            assert_eq!(ObservationStatus::parse(s.as_str()), Some(*s));
        }
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::parse(s.as_str()), Some(*s));
        }
        for a in ObservationAction::ALL {
            assert_eq!(ObservationAction::parse(a.as_str()), Some(*a));
        }
        for a in ReferralAction::ALL {
            assert_eq!(ReferralAction::parse(a.as_str()), Some(*a));
        }
        assert_eq!(
            ReferralStatus::parse("overdue"),
            None,
            "overdue is derived, not a status"
        );
    }
}
