//! The scenario as a subscriber of the VNFM's notifications: its channel on the notification
//! sink, its subscription, and any further subscribers it registered.

use crate::{
    failure::{Failure, Outcome},
    sink::Channel,
};

/// The scenario's subscriptions.
#[derive(Debug, Default)]
pub struct Subscriber {
    pub channel: Option<Channel>,
    pub subscription: Option<String>,
    /// Further subscribers: their channel and subscription id.
    pub others: Vec<(Channel, String)>,
}

impl Subscriber {
    /// The notification channel.
    pub fn channel(&self) -> Outcome<&Channel> {
        self.channel
            .as_ref()
            .ok_or_else(|| Failure::new("the scenario has no notification subscription"))
    }
}
