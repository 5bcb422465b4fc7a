//! Polling a cloud resource until it reaches a final status, within a deadline.

use std::future::Future;

use super::{VimError, VimErrorKind, VimTiming};

/// What one look at a resource found.
pub(crate) enum Poll<T> {
    /// The wait is over.
    Ready(T),
    /// Still in a transitional status (named in the timeout message).
    Pending(String),
}

/// Calls `probe` every `timing.poll_interval` until it is ready, fails, or a look taken once
/// `timing.resource_deadline` has passed still finds it pending (then a
/// [`VimErrorKind::Timeout`] naming `what`). A slow machine therefore only makes the wait
/// longer: a resource is never given up on a look taken before the deadline.
pub(crate) async fn until<T, F, Fut>(
    timing: &VimTiming,
    what: &str,
    mut probe: F,
) -> Result<T, VimError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, VimError>>,
{
    let deadline = tokio::time::Instant::now() + timing.resource_deadline;
    loop {
        let looked_at = tokio::time::Instant::now();
        let status = match probe().await? {
            Poll::Ready(value) => return Ok(value),
            Poll::Pending(status) => status,
        };
        if looked_at >= deadline {
            return Err(VimError::new(
                VimErrorKind::Timeout,
                format!(
                    "gave up waiting for {what} after {:?} (still {status})",
                    timing.resource_deadline
                ),
            ));
        }
        // The next look comes no later than the deadline (a past instant does not sleep).
        let next = (tokio::time::Instant::now() + timing.poll_interval).min(deadline);
        tokio::time::sleep_until(next).await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn timing(deadline_ms: u64) -> VimTiming {
        VimTiming {
            poll_interval: Duration::from_millis(1),
            resource_deadline: Duration::from_millis(deadline_ms),
            request_timeout: Duration::from_secs(5),
        }
    }

    #[tokio::test]
    async fn returns_once_ready() {
        let mut polls = 0;
        let value = until(&timing(5_000), "volume v", || {
            polls += 1;
            let ready = polls == 3;
            async move {
                Ok(if ready {
                    Poll::Ready(7)
                } else {
                    Poll::Pending("creating".to_string())
                })
            }
        })
        .await
        .unwrap();
        assert_eq!((value, polls), (7, 3));
    }

    #[tokio::test]
    async fn times_out_naming_the_resource_and_last_status() {
        let err = until(&timing(5), "volume v", || async {
            Ok::<Poll<()>, VimError>(Poll::Pending("creating".to_string()))
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::Timeout);
        assert!(err.message.contains("volume v"), "{}", err.message);
        assert!(err.message.contains("still creating"), "{}", err.message);
    }

    /// A look that started before the deadline but answered after it does not end the wait:
    /// one more look is taken, which finds the resource ready.
    #[tokio::test(start_paused = true)]
    async fn a_slow_look_before_the_deadline_does_not_give_up() {
        let mut polls = 0;
        let value = until(&timing(100), "volume v", || {
            polls += 1;
            let first = polls == 1;
            async move {
                if first {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    Ok(Poll::Pending("creating".to_string()))
                } else {
                    Ok(Poll::Ready(polls))
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(value, 2);
    }

    #[tokio::test]
    async fn probe_errors_end_the_wait() {
        let err = until(&timing(5_000), "image i", || async {
            Err::<Poll<()>, VimError>(VimError::new(VimErrorKind::ResourceFailed, "killed"))
        })
        .await
        .unwrap_err();
        assert_eq!(err.kind, VimErrorKind::ResourceFailed);
    }
}
