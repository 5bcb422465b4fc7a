//! The cloud handle shared by every service: configuration, clock, state, fault rules and
//! the call record; plus serving it (with the [`router`](super::router)) in-process or from
//! the binary.

use std::{
    io,
    ops::{Deref, DerefMut},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex, MutexGuard,
    },
};

use axum::Router;
use tokio::net::TcpListener;

use super::{
    calls::CallLog,
    clock::Clock,
    config::{CloudConfig, BASE_IMAGE_NAME},
    faults::FaultBook,
    microversion::{Microversion, VersionRange},
    model::{
        seed_flavors, seeded_role_id, Actor, AssignmentTarget, CloudState, NewUser, RoleAssignment,
    },
    router::router,
    service::Service,
};
use crate::serve::{self, ServerHandle};

/// A fake OpenStack cloud. Cloning is cheap: clones share the same state.
#[derive(Clone)]
pub struct Cloud {
    inner: Arc<Inner>,
}

struct Inner {
    config: CloudConfig,
    public_url: String,
    clock: Clock,
    state: Mutex<CloudState>,
    faults: Mutex<FaultBook>,
    /// Whether any fault rule is registered, kept by [`FaultsGuard`].
    any_faults: AtomicBool,
    calls: Mutex<CallLog>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Cloud {
    /// A cloud whose catalog points at `public_url` (scheme, host and port, no trailing slash),
    /// seeded with the admin project and user, flavors and a public base image.
    pub fn new(config: CloudConfig, public_url: &str) -> Self {
        let mut state = CloudState::default();
        state.flavors = seed_flavors();
        state.seed_volume_types();
        state.seed_resource_types();
        state.default_quotas = config.default_quotas;
        state.profile = config.time_profile;
        let admin_project = state
            .create_project(&config.admin_project)
            .expect("a fresh cloud has no projects");
        let admin = state
            .create_user(NewUser {
                name: config.admin_user.clone(),
                password: config.admin_password.clone(),
                enabled: true,
                every_project: true,
                ..NewUser::default()
            })
            .expect("a fresh cloud has no users");
        state
            .grant_role(RoleAssignment {
                role_id: seeded_role_id("admin"),
                actor: Actor::User(admin.id),
                target: AssignmentTarget::Project(admin_project.id.clone()),
            })
            .expect("the admin project, user and role exist");
        if config.admin_project != "service" {
            let _ = state.create_project("service");
        }
        state.seed_image(BASE_IMAGE_NAME, &admin_project.id);
        Self {
            inner: Arc::new(Inner {
                clock: Clock::new(config.time_profile),
                config,
                public_url: public_url.trim_end_matches('/').to_string(),
                state: Mutex::new(state),
                faults: Mutex::new(FaultBook::default()),
                any_faults: AtomicBool::new(false),
                calls: Mutex::new(CallLog::default()),
            }),
        }
    }

    /// The settings the cloud was made with.
    pub fn config(&self) -> &CloudConfig {
        &self.inner.config
    }

    /// Scheme, host and port the catalog advertises.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// The Keystone v3 URL clients authenticate against.
    pub fn auth_url(&self) -> String {
        format!("{}/identity/v3", self.inner.public_url)
    }

    /// The cloud clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The state, with every due status change applied.
    pub fn state(&self) -> MutexGuard<'_, CloudState> {
        let mut state = lock(&self.inner.state);
        state.settle(self.inner.clock.now_ms());
        state
    }

    /// The fault rules.
    pub fn faults(&self) -> FaultsGuard<'_> {
        FaultsGuard {
            book: lock(&self.inner.faults),
            any: &self.inner.any_faults,
        }
    }

    /// Whether any fault rule is registered, read without taking the rules' lock (every
    /// request asks; most clouds have none).
    pub fn has_fault_rules(&self) -> bool {
        self.inner.any_faults.load(Ordering::Acquire)
    }

    /// The call record.
    pub fn calls(&self) -> MutexGuard<'_, CallLog> {
        lock(&self.inner.calls)
    }

    /// The microversions a service supports.
    pub fn version_range(&self, service: Service) -> VersionRange {
        match service {
            Service::Nova => VersionRange {
                min: Microversion(2, 1),
                max: self.inner.config.nova_max_version,
            },
            _ => VersionRange {
                min: Microversion(3, 0),
                max: self.inner.config.cinder_max_version,
            },
        }
    }

    /// Serves a new cloud on `listener`; the catalog advertises `public_url`, or
    /// `http://<bound address>` when `None`.
    pub fn serve(
        config: CloudConfig,
        listener: TcpListener,
        public_url: Option<&str>,
    ) -> io::Result<RunningCloud> {
        let url = Self::listener_url(&listener, public_url)?;
        Cloud::new(config, &url).run(listener, Router::new())
    }

    /// The URL a cloud served on `listener` advertises: `public_url`, or
    /// `http://<bound address>` when `None`.
    pub fn listener_url(listener: &TcpListener, public_url: Option<&str>) -> io::Result<String> {
        Ok(match public_url {
            Some(url) => url.to_string(),
            None => format!("http://{}", listener.local_addr()?),
        })
    }

    /// Serves this cloud on `listener`, with `control` added to the `/_sim` control API
    /// behind its guard (e.g. the stack's state export and load).
    pub fn run(self, listener: TcpListener, control: Router<Cloud>) -> io::Result<RunningCloud> {
        let server = serve::spawn(listener, router(&self, control), None)?;
        Ok(RunningCloud {
            cloud: self,
            server,
        })
    }

    /// Starts a cloud on `127.0.0.1:0` for tests.
    pub async fn start_local(config: CloudConfig) -> io::Result<RunningCloud> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Self::serve(config, listener, None)
    }
}

/// A cloud being served. Dropping it stops the listener.
pub struct RunningCloud {
    cloud: Cloud,
    server: ServerHandle,
}

impl RunningCloud {
    /// The served cloud.
    pub fn cloud(&self) -> &Cloud {
        &self.cloud
    }

    /// Scheme, host and port of the listener as advertised.
    pub fn url(&self) -> &str {
        self.cloud.public_url()
    }

    /// The Keystone v3 URL.
    pub fn auth_url(&self) -> String {
        self.cloud.auth_url()
    }

    /// The local address the listener is bound to.
    pub fn local_addr(&self) -> std::net::SocketAddr {
        self.server.local_addr()
    }

    /// A client for the `/_sim` control API of this cloud.
    pub fn control(&self) -> crate::kit::SimControl {
        crate::kit::SimControl::new(self.cloud.public_url())
    }
}

/// The fault rules, locked. Released, it notes whether any rule is left, still under the lock,
/// for [`Cloud::has_fault_rules`].
pub struct FaultsGuard<'a> {
    book: MutexGuard<'a, FaultBook>,
    any: &'a AtomicBool,
}

impl Deref for FaultsGuard<'_> {
    type Target = FaultBook;
    fn deref(&self) -> &FaultBook {
        &self.book
    }
}

impl DerefMut for FaultsGuard<'_> {
    fn deref_mut(&mut self) -> &mut FaultBook {
        &mut self.book
    }
}

impl Drop for FaultsGuard<'_> {
    fn drop(&mut self) {
        self.any.store(!self.book.is_empty(), Ordering::Release);
    }
}
