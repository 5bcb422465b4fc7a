//! A fake OpenStack cloud (Keystone v3, Nova, Cinder v3, Glance v2) and a reference ETSI NFV
//! VNFM implementing the VNF snapshot operations of SOL003 and SOL002 on top of it.
//!
//! Both can run in-process (bound to `127.0.0.1:0`, for tests) or as the `simulator` binary.

pub mod control_access;
pub mod demo;
pub mod kit;
pub mod openstack;
pub mod rule_book;
pub mod saved_fault_rule;
pub mod serve;
pub mod stack;
pub mod state;
pub mod tls;
pub mod trigger;
pub mod vnfm;
