//! What a service handler is called with, as one extractor: the cloud, the caller's token
//! scope, the fate the fault rules gave the request and, for the microversioned services
//! (Nova, Cinder), the negotiated microversion. The gateway puts each of them on the request
//! before any handler runs.

use axum::{
    extract::FromRequestParts,
    http::request::Parts,
    response::{IntoResponse, Response},
    Extension,
};

use super::{cloud::Cloud, gateway::Scope, microversion::Microversion, model::Fate};

/// One authenticated call to a service: `Call` where the service has no microversions (or the
/// handler does not read it), `Call<Microversion>` where it does.
#[derive(Clone)]
pub struct Call<V = NoVersion> {
    /// The cloud's state handle.
    pub cloud: Cloud,
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

impl FromRequestParts<Cloud> for Microversion {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, cloud: &Cloud) -> Result<Self, Self::Rejection> {
        let Extension(version) = Extension::<Self>::from_request_parts(parts, cloud)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(version)
    }
}

impl<V> FromRequestParts<Cloud> for Call<V>
where
    V: FromRequestParts<Cloud> + Send,
    V::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, cloud: &Cloud) -> Result<Self, Self::Rejection> {
        let Extension(scope) = Extension::<Scope>::from_request_parts(parts, cloud)
            .await
            .map_err(IntoResponse::into_response)?;
        let Extension(fate) = Extension::<Fate>::from_request_parts(parts, cloud)
            .await
            .map_err(IntoResponse::into_response)?;
        let version = V::from_request_parts(parts, cloud)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Self {
            cloud: cloud.clone(),
            scope,
            fate,
            version,
        })
    }
}
