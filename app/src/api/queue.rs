//! The work queue each role starts its day from, and its count for the navigation.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
use crate::model::queue::{QueueFilter, WorkQueue};

/// The roles that have a queue: every one that takes part in cases.
#[cfg(feature = "ssr")]
const WITH_A_QUEUE: [Role; 4] = [
    Role::Monitor,
    Role::Liaison,
    Role::CsoMember,
    Role::CsoCoordinator,
];

#[server(prefix = "/api", endpoint = "work_queue")]
pub async fn get_work_queue(filter: Option<QueueFilter>) -> Result<WorkQueue, AppError> {
    let (state, user) = crate::server::auth::require(&WITH_A_QUEUE).await?;
    crate::server::queue::queue(&state.db, &user, &filter.unwrap_or_default()).await
}

/// How many items wait in the viewer's queue (the same count as the queue's, unfiltered).
#[server(prefix = "/api", endpoint = "queue_count")]
pub async fn queue_count() -> Result<u64, AppError> {
    let (state, user) = crate::server::auth::require(&WITH_A_QUEUE).await?;
    crate::server::queue::count(&state.db, &user).await
}
