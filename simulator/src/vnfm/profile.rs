//! Which body forms the VNFM answers with: the reference forms (ETSI SOL003/SOL002, with the
//! choices of docs/vnfm-choices.md) or the vendor documentation's literal forms where they
//! differ from ETSI (`simulator --profile esc-documented`).

use clap::ValueEnum;

/// The body forms the VNFM answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// ETSI SOL003/SOL002 forms (the default).
    #[default]
    Reference,
    /// The vendor documentation's literal forms where they differ from ETSI: the instance copy
    /// in a VNF snapshot holds only `id` and `instantiatedVnfInfo`, and notification links are
    /// on the SOL003 root of the public HTTPS address whatever root or scheme the subscription
    /// used.
    EscDocumented,
}
