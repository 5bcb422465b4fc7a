//! The `simulator` binary: serves the fake OpenStack cloud (and the reference VNFM) on
//! localhost with the defaults the documentation and the conformance targets rely on.

use std::net::SocketAddr;

use clap::Parser;
use simulator::openstack::{clock::TimeProfile, Cloud, CloudConfig};
use tokio::net::TcpListener;

/// Serve a fake OpenStack cloud (Keystone, Nova, Cinder, Glance) for VNF snapshot testing.
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
    #[arg(long, env = "SIM_ADMIN_USER", default_value = "admin")]
    admin_user: String,
    /// Cloud admin password.
    #[arg(long, env = "SIM_ADMIN_PASSWORD", default_value = "admin")]
    admin_password: String,
    /// Cloud admin project.
    #[arg(long, env = "SIM_ADMIN_PROJECT", default_value = "admin")]
    admin_project: String,
    /// Token that opens /_sim to non-loopback clients (header X-Sim-Control-Token).
    #[arg(long, env = "SIM_CONTROL_TOKEN")]
    control_token: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let config = CloudConfig {
        admin_user: args.admin_user.clone(),
        admin_password: args.admin_password.clone(),
        admin_project: args.admin_project.clone(),
        time_profile: args.time_profile,
        control_token: args.control_token.clone(),
        ..CloudConfig::default()
    };
    let listener = TcpListener::bind(args.cloud_listen).await?;
    let cloud = Cloud::serve(config, listener, args.cloud_public_url.as_deref())?;
    println!(
        "# Fake OpenStack cloud on {} (time profile: {:?})",
        cloud.url(),
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
        "# Control API: {}/_sim (state, reset, faults, quotas, clock, calls)",
        cloud.url()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
