//! The `simulator` binary: serves the fake OpenStack cloud and the reference VNFM on localhost
//! with the defaults the documentation and the conformance targets rely on.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use clap::Parser;
use simulator::{
    demo,
    openstack::{clock::TimeProfile, Cloud, CloudConfig},
    state::{self, validation::validate, StackState, StateDocument},
    tls::ServerIdentity,
    vnfm::{Deviation, Deviations, Profile, TlsListener, Vnfm, VnfmConfig},
};
use tokio::net::TcpListener;

/// Serve a fake OpenStack cloud (Keystone, Nova, Cinder, Glance, Neutron) and a reference ETSI VNFM for
/// VNF snapshot testing.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address of the cloud listener (all services and /_sim).
    #[arg(long, env = "SIM_CLOUD_LISTEN", default_value = "127.0.0.1:5000")]
    cloud_listen: SocketAddr,
    /// Base URL the Keystone catalog advertises (default: http://<cloud-listen>).
    #[arg(long, env = "SIM_CLOUD_PUBLIC_URL")]
    cloud_public_url: Option<String>,
    /// How fast cloud resources change status.
    #[arg(long, env = "SIM_TIME_PROFILE", value_enum, default_value_t = TimeProfile::Fast)]
    time_profile: TimeProfile,
    /// Cloud admin user name.
    #[arg(long, env = "SIM_ADMIN_USER", default_value_t = CloudConfig::default().admin_user)]
    admin_user: String,
    /// Cloud admin password.
    #[arg(long, env = "SIM_ADMIN_PASSWORD", default_value_t = CloudConfig::default().admin_password)]
    admin_password: String,
    /// Cloud admin project.
    #[arg(long, env = "SIM_ADMIN_PROJECT", default_value_t = CloudConfig::default().admin_project)]
    admin_project: String,
    /// Token that opens the control APIs (the cloud's /_sim, the VNFM's /_vnfm) to
    /// non-loopback clients (header X-Sim-Control-Token).
    #[arg(long, env = "SIM_CONTROL_TOKEN")]
    control_token: Option<String>,
    /// Address of the VNFM's HTTP listener.
    #[arg(long, env = "SIM_VNFM_HTTP_LISTEN", default_value = "127.0.0.1:8250")]
    vnfm_http_listen: SocketAddr,
    /// Address of the VNFM's HTTPS listener.
    #[arg(long, env = "SIM_VNFM_HTTPS_LISTEN", default_value = "127.0.0.1:8251")]
    vnfm_https_listen: SocketAddr,
    /// Public base URL of the VNFM's HTTP listener, for `_links` and `Location`.
    #[arg(long, env = "SIM_VNFM_HTTP_PUBLIC_URL")]
    vnfm_http_public_url: Option<String>,
    /// Public base URL of the VNFM's HTTPS listener.
    #[arg(long, env = "SIM_VNFM_HTTPS_PUBLIC_URL")]
    vnfm_https_public_url: Option<String>,
    /// VNFM HTTP Basic user.
    #[arg(long, env = "SIM_VNFM_USER", default_value_t = VnfmConfig::default().basic_user)]
    vnfm_user: String,
    /// VNFM HTTP Basic password.
    #[arg(long, env = "SIM_VNFM_PASSWORD", default_value_t = VnfmConfig::default().basic_password)]
    vnfm_password: String,
    /// Refuse requests without a `Version` header (400).
    #[arg(long, env = "SIM_VNFM_STRICT")]
    strict: bool,
    /// PEM certificate chain for the HTTPS listener (self-signed when absent).
    #[arg(long, env = "SIM_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for the HTTPS listener.
    #[arg(long, env = "SIM_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Where the generated self-signed certificate is written.
    #[arg(long, env = "SIM_CERT_DIR", default_value = "target/simulator")]
    cert_dir: PathBuf,
    /// Directory of extra VNF descriptor files (`*.json`).
    #[arg(long, env = "SIM_DESCRIPTOR_DIR")]
    descriptor_dir: Option<PathBuf>,
    /// Know only the descriptors of `--descriptor-dir`, not the built-in ones (a VNFM whose
    /// descriptors the conformance suite has never seen; the demo VNF needs a built-in one).
    #[arg(long)]
    no_builtin_descriptors: bool,
    /// Do not create the demo VNF instance at start.
    #[arg(long)]
    no_demo: bool,
    /// Start with the state of a document exported by `GET /_sim/state/export` (implies
    /// `--no-demo`); a document that cannot be loaded stops the start with an error.
    #[arg(long, value_name = "FILE")]
    load_state: Option<PathBuf>,
    /// How long the VNFM waits for one answer of the cloud before the call fails as timed out
    /// (seconds).
    #[arg(
        long,
        env = "SIM_VIM_REQUEST_TIMEOUT",
        default_value_t = VnfmConfig::default().vim_timing.request_timeout.as_secs()
    )]
    vim_request_timeout_secs: u64,
    /// How long the VNFM waits for a cloud resource in a transitional status (a volume
    /// `creating`, a server `BUILD`, ...) before the operation fails (seconds).
    #[arg(
        long,
        env = "SIM_VIM_RESOURCE_WAIT",
        default_value_t = VnfmConfig::default().vim_timing.resource_deadline.as_secs()
    )]
    vim_resource_wait_secs: u64,
    /// How long the VNFM waits for a subscriber to answer one notification before it tries
    /// again (seconds).
    #[arg(
        long,
        env = "SIM_NOTIFICATION_TIMEOUT",
        default_value_t = VnfmConfig::default().notification_retry.request_timeout.as_secs()
    )]
    notification_timeout_secs: u64,
    /// The answers the VNFM gives where the specifications leave a choice open: the reference
    /// ones (`reference`), the vendor documentation's literal forms where they differ from ETSI
    /// (`esc-documented`), or only what SOL003/SOL002 make mandatory with the other conformant
    /// choices (`spec-minimal`); docs/vnfm-choices.md lists them.
    #[arg(long, env = "SIM_VNFM_PROFILE", value_enum, default_value_t = Profile::Reference)]
    profile: Profile,
    /// Make the VNFM depart from the specifications on purpose, to see the conformance suite
    /// catch it (repeatable; `list` names them all).
    #[arg(long = "deviation", value_name = "NAME", long_help = deviation_help())]
    deviations: Vec<String>,
}

/// The long help of `--deviation`: every deviation with its one-line description.
fn deviation_help() -> String {
    format!(
        "Make the VNFM depart from the specifications on purpose, to see the conformance suite \
         catch it (repeatable; `list` names them all):\n{}",
        Deviation::catalogue()
    )
}

/// The state document of `--load-state`, read and checked before anything starts.
fn state_document(path: &std::path::Path) -> Result<StateDocument, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read it: {error}"))?;
    let document = StateDocument::parse(&bytes)?;
    validate(&document)?;
    Ok(document)
}

/// The deviations named on the command line; `list` prints them all and exits.
fn deviations(names: &[String]) -> Result<Deviations, String> {
    if names.iter().any(|name| name == "list") {
        println!("{}", Deviation::catalogue());
        std::process::exit(0);
    }
    names
        .iter()
        .map(|name| Deviation::from_name(name))
        .collect::<Result<Vec<_>, _>>()
        .map(Deviations::of)
}

/// mimalloc: the cloud answers with many small allocations freed on other threads, where the
/// system allocator's arena locks halved its request rate (`docs/benchmarks.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    simulator::tls::install_crypto_provider();
    let args = Args::parse();
    let deviations = deviations(&args.deviations)?;
    let document = match &args.load_state {
        Some(path) => match state_document(path) {
            Ok(document) => Some(document),
            Err(error) => {
                eprintln!("error: --load-state {}: {error}", path.display());
                std::process::exit(2);
            }
        },
        None => None,
    };

    let cloud_config = CloudConfig {
        admin_user: args.admin_user.clone(),
        admin_password: args.admin_password.clone(),
        admin_project: args.admin_project.clone(),
        time_profile: args.time_profile,
        control_token: args.control_token.clone(),
        ..CloudConfig::default()
    };
    let cloud_listener = TcpListener::bind(args.cloud_listen).await?;
    let cloud = Cloud::new(
        cloud_config,
        &Cloud::listener_url(&cloud_listener, args.cloud_public_url.as_deref())?,
    );
    println!(
        "# Fake OpenStack cloud on {} (time profile: {:?})",
        cloud.public_url(),
        args.time_profile
    );
    println!("export OS_AUTH_URL={}", cloud.auth_url());
    println!("export OS_USERNAME={}", args.admin_user);
    println!("export OS_PASSWORD={}", args.admin_password);
    println!("export OS_PROJECT_NAME={}", args.admin_project);
    println!("export OS_USER_DOMAIN_NAME=Default");
    println!("export OS_PROJECT_DOMAIN_NAME=Default");
    println!("export OS_IDENTITY_API_VERSION=3");
    println!("export OS_REGION_NAME=RegionOne");
    println!(
        "# Control API: {}/_sim (state, state/export, state/load, reset, faults, quotas, clock, calls)",
        cloud.public_url()
    );

    let identity = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => ServerIdentity::from_files(cert, key)?,
        _ => {
            let identity = ServerIdentity::self_signed(&[])?;
            std::fs::create_dir_all(&args.cert_dir)?;
            let path = args.cert_dir.join("vnfm-cert.pem");
            std::fs::write(&path, &identity.cert_pem)?;
            println!(
                "# VNFM self-signed certificate written to {}",
                path.display()
            );
            identity
        }
    };
    let mut vnfm_config = VnfmConfig {
        http_public_base: args.vnfm_http_public_url.clone(),
        https_public_base: args.vnfm_https_public_url.clone(),
        basic_user: args.vnfm_user.clone(),
        basic_password: args.vnfm_password.clone(),
        strict_version: args.strict,
        descriptor_dir: args.descriptor_dir.clone(),
        builtin_descriptors: !args.no_builtin_descriptors,
        deviations,
        profile: args.profile,
        control_token: args.control_token.clone(),
        ..VnfmConfig::default()
    };
    vnfm_config.vim_timing.request_timeout = Duration::from_secs(args.vim_request_timeout_secs);
    vnfm_config.vim_timing.resource_deadline = Duration::from_secs(args.vim_resource_wait_secs);
    vnfm_config.notification_retry.request_timeout =
        Duration::from_secs(args.notification_timeout_secs);
    vnfm_config.default_vim.auth_url = cloud.auth_url();
    vnfm_config.default_vim.username = args.admin_user.clone();
    vnfm_config.default_vim.password = args.admin_password.clone();
    vnfm_config.default_vim.project_name = args.admin_project.clone();
    let https = TlsListener {
        listener: TcpListener::bind(args.vnfm_https_listen).await?,
        tls: identity.server_config()?,
    };
    let vnfm = Vnfm::start(
        vnfm_config,
        TcpListener::bind(args.vnfm_http_listen).await?,
        Some(https),
    )?;
    let stack_state = StackState::new(&cloud, &vnfm);
    if let (Some(document), Some(path)) = (document, &args.load_state) {
        match stack_state.load(document) {
            Ok(loaded) => println!(
                "# State loaded from {} ({} operations in progress stopped as after a restart)",
                path.display(),
                loaded.interrupted_operations.len()
            ),
            Err(error) => {
                eprintln!("error: --load-state {}: {error}", path.display());
                std::process::exit(2);
            }
        }
    }
    // Loaded before the cloud serves, so that no client sees it without the state.
    let _cloud = cloud.run(cloud_listener, state::routes(stack_state))?;
    println!("# VNFM SOL003: {}", vnfm.sol003_root());
    println!("# VNFM SOL002: {}", vnfm.sol002_root());
    if let Some(https) = vnfm.https_url() {
        println!("# VNFM over HTTPS: {https}/or_vnfm/vnflcm/v2 and {https}/ve_vnfm/vnflcm/v2");
    }
    if args.profile.choices().control_api {
        println!(
            "# VNFM control API: {}/_vnfm/faults (fault rules of the VNFM itself)",
            vnfm.http_url()
        );
    }

    if !args.no_demo && args.load_state.is_none() {
        match demo::instantiate_demo(&vnfm.sol003_root(), &args.vnfm_user, &args.vnfm_password)
            .await
        {
            Ok(instance_id) => println!(
                "{}",
                demo::curl_walkthrough(
                    vnfm.http_url(),
                    &args.vnfm_user,
                    &args.vnfm_password,
                    &instance_id
                )
            ),
            Err(error) => eprintln!("demo VNF could not be instantiated: {error}"),
        }
    }
    if args.profile != Profile::Reference {
        println!("# VNFM profile: {:?}", args.profile);
    }
    if !args.deviations.is_empty() {
        println!(
            "# VNFM deviating on purpose: {}",
            args.deviations.join(", ")
        );
    }
    println!("# Ready. Ctrl-C stops.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}
