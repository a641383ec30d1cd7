//! One route component per file.

pub mod admin;
pub mod admin_categories;
pub mod admin_holidays;
pub mod admin_institutions;
pub mod admin_mail;
pub mod admin_organisations;
pub mod admin_regions;
pub mod admin_users;
pub mod dashboard;
pub mod home;
pub mod institution;
pub mod login;
pub mod members;
pub mod monitoring;
pub mod not_found;
pub mod observation;
pub mod observation_edit;
pub mod observation_new;
pub mod observations;
pub mod organisation;
pub mod password_forgot;
pub mod password_set;
pub mod preferences;
pub mod referral;
pub mod referrals;
pub mod unsubscribe;
