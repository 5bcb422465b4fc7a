//! Requests with two conformant answers. Refusing an unknown attribute and ignoring it, refusing
//! a body whose `Content-Type` is not JSON and reading it as JSON anyway (RFC 9110 §8.3 lets a
//! recipient examine the content; SOL013 lists no 415), refusing a selector that would drop a
//! mandatory attribute and ignoring it: no clause makes one of them the only answer. The
//! reference VNFM's choice is held exactly against the reference stack; any other target may
//! give either answer, and the one the reference does not give is a WARN saying what happened.
//! Later steps that only make sense after one of the answers ("the refused request stored
//! nothing") hold vacuously after the other.

use cucumber::then;

use super::responses::{rejected, status};
use crate::{
    failure::{Failure, Outcome},
    world::Conformance,
};

/// The method and URL of the last request, to name it in a warning.
fn request_line(w: &Conformance) -> Outcome<String> {
    let request = &w.last()?.request;
    Ok(format!("{} {}", request.method, request.url))
}

#[then(expr = "the request is rejected with {int}, or served as the spec allows")]
async fn rejected_or_served(w: &mut Conformance, expected: u16) -> Outcome {
    let answered = w.last()?.status;
    if w.target.reference || !(200..300).contains(&answered) {
        return rejected(w, expected).await;
    }
    w.served_instead_of_refused = true;
    w.other_choice(format!(
        "{} was served with {answered}, where the reference VNFM refuses it with {expected}; \
         no clause demands the refusal",
        request_line(w)?
    ));
    Ok(())
}

#[then(expr = "the response status is {int}, or the request is refused as the spec allows")]
async fn served_or_refused(w: &mut Conformance, expected: u16) -> Outcome {
    let answered = w.last()?.status;
    if w.target.reference || answered == expected {
        return status(w, expected).await;
    }
    if !(400..500).contains(&answered) {
        let exchange = w.last()?;
        return Err(Failure::about(
            exchange,
            format!("{expected}, or a refusal (4xx with a ProblemDetails)"),
        ));
    }
    rejected(w, answered).await?;
    w.other_choice(format!(
        "{} was refused with {answered}, where the reference VNFM serves it with {expected}; \
         no clause demands serving it",
        request_line(w)?
    ));
    Ok(())
}
