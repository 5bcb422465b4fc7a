//! Listener plumbing shared by the fake cloud and the reference VNFM: plain HTTP or TLS, with
//! keep-alive, the peer address available to handlers, and connections a handler may drop.

use std::{io, net::SocketAddr, sync::Arc};

use axum::{body::Body, extract::ConnectInfo, Router};
use hyper::{body::Incoming, Request, Response};
use hyper_util::{
    rt::{TokioExecutor, TokioIo},
    server::conn::auto,
};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// Marker a handler puts in a response's extensions to make the server close the connection
/// without answering, the way a crashed or unreachable endpoint looks to a client.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// A running listener. Dropping the handle stops accepting and closes open connections.
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    task: JoinHandle<()>,
}

impl ServerHandle {
    /// The address the listener is bound to (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `router` on `listener`, over TLS when `tls` is given.
pub fn spawn(
    listener: TcpListener,
    router: Router,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> io::Result<ServerHandle> {
    let local_addr = listener.local_addr()?;
    let acceptor = tls.map(TlsAcceptor::from);
    let task = tokio::spawn(async move {
        let mut connections = tokio::task::JoinSet::new();
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let router = router.clone();
            let acceptor = acceptor.clone();
            connections.spawn(async move {
                match acceptor {
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(tls_stream) => serve_connection(tls_stream, peer, router).await,
                        Err(error) => tracing::debug!(%error, %peer, "TLS handshake failed"),
                    },
                    None => serve_connection(stream, peer, router).await,
                }
            });
            while connections.try_join_next().is_some() {}
        }
    });
    Ok(ServerHandle { local_addr, task })
}

async fn serve_connection<S>(stream: S, peer: SocketAddr, router: Router)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        let router = router.clone();
        request.extensions_mut().insert(ConnectInfo(peer));
        async move {
            let response: Response<Body> = match router.oneshot(request.map(Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.extensions().get::<DropConnection>().is_some() {
                return Err(ConnectionDropped);
            }
            Ok::<_, ConnectionDropped>(response)
        }
    });
    let builder = auto::Builder::new(TokioExecutor::new());
    if let Err(error) = builder
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::trace!(%error, %peer, "connection ended");
    }
}

/// The error a connection ends with when a handler asked for it to be dropped.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}
