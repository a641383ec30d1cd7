//! The five roles of DESIGN §2 and who may invite whom.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CsoMember,
    CsoCoordinator,
    Liaison,
    Monitor,
    Admin,
}

/// What an account is attached to: its organisation, its institution, or the NHRC/platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affiliation {
    Organisation,
    Institution,
    None,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::CsoMember,
        Role::CsoCoordinator,
        Role::Liaison,
        Role::Monitor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CsoMember => "cso_member",
            Role::CsoCoordinator => "cso_coordinator",
            Role::Liaison => "liaison",
            Role::Monitor => "monitor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles whose accounts could be misused against reporters: they must sign in with a
    /// second factor (DESIGN §7). Members of organisations may choose to.
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::Liaison | Role::Monitor | Role::Admin)
    }

    /// The page each role lands on after signing in.
    pub fn landing_path(self) -> &'static str {
        match self {
            Role::CsoMember | Role::CsoCoordinator => "/organisation",
            Role::Liaison => "/institution",
            Role::Monitor => "/monitoring",
            Role::Admin => "/admin",
        }
    }

    pub fn affiliation(self) -> Affiliation {
        match self {
            Role::CsoMember | Role::CsoCoordinator => Affiliation::Organisation,
            Role::Liaison => Affiliation::Institution,
            Role::Monitor | Role::Admin => Affiliation::None,
        }
    }

    /// Onboarding is by invitation only: admins invite coordinators, liaisons, monitors (and
    /// other admins); coordinators invite members of their own organisation. An admin's
    /// invitation of a monitor is only a request: another monitor must approve it (see
    /// `server::accounts::decide_monitor`). Monitors invite nobody.
    pub fn may_invite(self, invitee: Role) -> bool {
        match self {
            Role::Admin => matches!(
                invitee,
                Role::CsoCoordinator | Role::Liaison | Role::Monitor | Role::Admin
            ),
            Role::CsoCoordinator => invitee == Role::CsoMember,
            Role::CsoMember | Role::Liaison | Role::Monitor => false,
        }
    }

    /// The message-catalogue key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::CsoMember => "role-cso_member",
            Role::CsoCoordinator => "role-cso_coordinator",
            Role::Liaison => "role-liaison",
            Role::Monitor => "role-monitor",
            Role::Admin => "role-admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn invitation_table_is_exactly_the_design() {
        use Role::*;
        let allowed = [
            (Admin, CsoCoordinator),
            (Admin, Liaison),
            (Admin, Monitor),
            (Admin, Admin),
            (CsoCoordinator, CsoMember),
        ];
        for inviter in Role::ALL {
            for invitee in Role::ALL {
                assert_eq!(
                    inviter.may_invite(invitee),
                    allowed.contains(&(inviter, invitee)),
                    "{inviter:?} inviting {invitee:?}"
                );
            }
        }
    }
}
