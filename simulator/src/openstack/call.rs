//! What a service handler is called with, as one extractor: the cloud, the request's id, the
//! caller's token scope, the fate the fault rules gave the request and, for the microversioned
//! services (Nova, Cinder), the negotiated microversion. The gateway puts them on the request,
//! as one [`Admission`], before any handler runs.

use axum::{
    extract::FromRequestParts,
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    cloud::Cloud,
    gateway::{Admission, RequestId, Scope},
    microversion::Microversion,
    model::Fate,
};

/// One authenticated call to a service: `Call` where the service has no microversions (or the
/// handler does not read it), `Call<Microversion>` where it does.
#[derive(Clone)]
pub struct Call<V = NoVersion> {
    /// The cloud's state handle.
    pub cloud: Cloud,
    /// The id the answer carries (`x-openstack-request-id`).
    pub request_id: RequestId,
    /// Who is calling.
    pub scope: Scope,
    /// What the fault rules decided about a resource the call creates or changes.
    pub fate: Fate,
    /// The negotiated microversion, or [`NoVersion`].
    pub version: V,
}

/// The version of a call read without a microversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoVersion;

impl FromRequestParts<Cloud> for NoVersion {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(_: &mut Parts, _: &Cloud) -> Result<Self, Self::Rejection> {
        Ok(Self)
    }
}

/// The answer when a handler asks for what the gateway did not hand it (a route outside the
/// gateway, or a call without a project-scoped token): a bug of the fake, not of the client.
fn not_admitted(what: &str) -> Response {
    let message = format!("the gateway handed this request no {what}");
    (StatusCode::INTERNAL_SERVER_ERROR, message).into_response()
}

impl FromRequestParts<Cloud> for Microversion {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &Cloud) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Admission>()
            .and_then(|admission| admission.version)
            .ok_or_else(|| not_admitted("microversion"))
    }
}

impl<V> FromRequestParts<Cloud> for Call<V>
where
    V: FromRequestParts<Cloud> + Send,
    V::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, cloud: &Cloud) -> Result<Self, Self::Rejection> {
        let version = V::from_request_parts(parts, cloud)
            .await
            .map_err(IntoResponse::into_response)?;
        // Taken, not copied: a handler reads its admission once, through this extractor.
        let admission = parts
            .extensions
            .remove::<Admission>()
            .ok_or_else(|| not_admitted("admission"))?;
        let scope = admission.scope.ok_or_else(|| not_admitted("scope"))?;
        Ok(Self {
            cloud: cloud.clone(),
            request_id: admission.request_id,
            scope,
            fate: admission.fate,
            version,
        })
    }
}
