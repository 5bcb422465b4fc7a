//! The error of every kit client: what the call was and what went wrong with it.

/// A failed call: a transport failure, or an answer the client did not expect.
#[derive(Debug)]
pub struct CallError {
    /// The status the server answered, when it answered.
    pub status: Option<u16>,
    /// What went wrong, with the call.
    pub message: String,
}

impl CallError {
    /// A failure without an answer to show for it (transport, or a body without what it needs).
    pub(crate) fn new(message: String) -> Self {
        Self {
            status: None,
            message,
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallError {}
