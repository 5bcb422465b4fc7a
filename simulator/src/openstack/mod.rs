//! The fake OpenStack cloud.
