//! Database rows as sea-orm entities. Server-only: these types never reach the browser; the
//! services map them to the wire types in `model` (`*Summary` / `*Detail`).

pub mod account_token;
pub mod attachment;
pub mod audit_chain;
pub mod audit_entry;
pub mod category;
pub mod cercle;
pub mod deadline_notice;
pub mod holiday;
pub mod institution;
pub mod notification;
pub mod observation;
pub mod observation_concern;
pub mod observation_event;
pub mod observation_institution;
pub mod organisation;
pub mod recovery_code;
pub mod reference_counter;
pub mod referral;
pub mod referral_attachment;
pub mod region;
pub mod server_secret;
pub mod session;
pub mod shadow_invitation;
pub mod tip;
pub mod tip_file;
pub mod tip_message;
pub mod user;
