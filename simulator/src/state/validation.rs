//! What makes a state document inconsistent: duplicate ids, resources of projects, volumes,
//! networks or servers that are not in it, fault rules that are not valid, and VNFM records
//! naming instances, snapshots, operations or cloud resources that are not in it. Every
//! check names the part of the document and the ids at fault.

use std::collections::HashSet;

use super::StateDocument;
use crate::{
    openstack::model::{Actor, AssignmentTarget, Due, SavedCloud},
    vnfm::CloudResource,
};

/// Checks a document read with [`StateDocument::parse`]; `Err` names the first problem.
pub fn validate(document: &StateDocument) -> Result<(), String> {
    check_cloud(&document.cloud.resources)?;
    unique(
        "cloud.faults",
        document.cloud.faults.iter().map(|rule| rule.id.as_str()),
    )?;
    document.vnfm.check()?;
    let cloud = &document.cloud.resources;
    for reference in document.vnfm.cloud_references(&document.cloud_url) {
        let (table, present) = match reference.kind {
            CloudResource::Server => ("servers", has(&cloud.servers, |s| &s.id, &reference.id)),
            CloudResource::Volume => ("volumes", has(&cloud.volumes, |v| &v.id, &reference.id)),
            CloudResource::Port => ("ports", has(&cloud.ports, |p| &p.id, &reference.id)),
            CloudResource::Network => ("networks", has(&cloud.networks, |n| &n.id, &reference.id)),
            CloudResource::Subnet => ("subnets", has(&cloud.subnets, |s| &s.id, &reference.id)),
            CloudResource::Image => ("images", has(&cloud.images, |i| &i.image.id, &reference.id)),
            CloudResource::VolumeSnapshot => (
                "snapshots",
                has(&cloud.snapshots, |s| &s.snapshot.id, &reference.id),
            ),
        };
        if !present {
            return Err(format!(
                "vnfm: {} refers to {:?} {}, which is not in cloud.resources.{table}",
                reference.holder, reference.kind, reference.id
            ));
        }
    }
    Ok(())
}

fn has<T>(items: &[T], id: impl Fn(&T) -> &String, wanted: &str) -> bool {
    items.iter().any(|item| id(item) == wanted)
}

/// `Err` naming `what` and the first id met twice.
pub fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(format!("{what}: duplicate id {id}"));
        }
    }
    Ok(())
}

/// Ids are unique per table, and what a resource names (its project, volume, network,
/// server, user) is in the document.
fn check_cloud(cloud: &SavedCloud) -> Result<(), String> {
    let ids = |what: &str, ids: Vec<&str>| -> Result<HashSet<String>, String> {
        unique(&format!("cloud.resources.{what}"), ids.iter().copied())?;
        Ok(ids.into_iter().map(str::to_string).collect())
    };
    let projects = ids(
        "projects",
        cloud.projects.iter().map(|p| p.id.as_str()).collect(),
    )?;
    let users = ids("users", cloud.users.iter().map(|u| u.id.as_str()).collect())?;
    ids(
        "tokens",
        cloud.tokens.iter().map(|t| t.id.as_str()).collect(),
    )?;
    ids(
        "flavors",
        cloud.flavors.iter().map(|f| f.id.as_str()).collect(),
    )?;
    let servers = ids(
        "servers",
        cloud.servers.iter().map(|s| s.id.as_str()).collect(),
    )?;
    let volumes = ids(
        "volumes",
        cloud.volumes.iter().map(|v| v.id.as_str()).collect(),
    )?;
    let volume_types = ids(
        "volume_types",
        cloud.volume_types.iter().map(|t| t.id.as_str()).collect(),
    )?;
    let attachments = ids(
        "attachments",
        cloud.attachments.iter().map(|a| a.id.as_str()).collect(),
    )?;
    let snapshots = ids(
        "snapshots",
        cloud
            .snapshots
            .iter()
            .map(|s| s.snapshot.id.as_str())
            .collect(),
    )?;
    let images = ids(
        "images",
        cloud.images.iter().map(|i| i.image.id.as_str()).collect(),
    )?;
    let image_tasks = ids(
        "image_tasks",
        cloud.image_tasks.iter().map(|t| t.id.as_str()).collect(),
    )?;
    let networks = ids(
        "networks",
        cloud.networks.iter().map(|n| n.id.as_str()).collect(),
    )?;
    ids(
        "subnets",
        cloud.subnets.iter().map(|s| s.id.as_str()).collect(),
    )?;
    let ports = ids("ports", cloud.ports.iter().map(|p| p.id.as_str()).collect())?;
    ids(
        "security_groups",
        cloud
            .security_groups
            .iter()
            .map(|g| g.id.as_str())
            .collect(),
    )?;

    let named = |what: String, table: &str, known: &HashSet<String>, id: &str| {
        if known.contains(id) {
            Ok(())
        } else {
            Err(format!(
                "cloud.resources.{what} refers to {table} {id}, which is not in cloud.resources.{table}"
            ))
        }
    };
    let roles = ids("roles", cloud.roles.iter().map(|r| r.id.as_str()).collect())?;
    let domains = ids(
        "domains",
        cloud.domains.iter().map(|d| d.id.as_str()).collect(),
    )?;
    let groups = ids(
        "groups",
        cloud.groups.iter().map(|g| g.id.as_str()).collect(),
    )?;
    for group in &cloud.groups {
        for member in &group.members {
            named(
                format!("groups: group {}", group.id),
                "users",
                &users,
                member,
            )?;
        }
    }
    for assignment in &cloud.role_assignments {
        let what = || {
            format!(
                "role_assignments: an assignment of role {}",
                assignment.role_id
            )
        };
        named(what(), "roles", &roles, &assignment.role_id)?;
        match &assignment.actor {
            Actor::User(id) => named(what(), "users", &users, id)?,
            Actor::Group(id) => named(what(), "groups", &groups, id)?,
        }
        match &assignment.target {
            AssignmentTarget::Project(id) => named(what(), "projects", &projects, id)?,
            AssignmentTarget::Domain(id) => named(what(), "domains", &domains, id)?,
            AssignmentTarget::System => {}
        }
    }
    for group in &cloud.server_groups {
        let what = || format!("server_groups: group {}", group.id);
        named(what(), "projects", &projects, &group.project_id)?;
        for member in &group.members {
            named(what(), "servers", &servers, member)?;
        }
    }
    for token in &cloud.tokens {
        named("tokens: a token".into(), "users", &users, &token.user_id)?;
        if let Some(project) = &token.project_id {
            named("tokens: a token".into(), "projects", &projects, project)?;
        }
    }
    for server in &cloud.servers {
        let what = || format!("servers: server {}", server.id);
        named(what(), "projects", &projects, &server.project_id)?;
        for attachment in &server.attachments {
            named(what(), "volumes", &volumes, &attachment.volume_id)?;
            named(
                what(),
                "attachments",
                &attachments,
                &attachment.attachment_id,
            )?;
        }
        for interface in &server.interfaces {
            named(what(), "ports", &ports, &interface.port_id)?;
        }
    }
    for volume in &cloud.volumes {
        let what = || format!("volumes: volume {}", volume.id);
        named(what(), "projects", &projects, &volume.project_id)?;
        named(
            what(),
            "volume_types",
            &volume_types,
            &volume.volume_type_id,
        )?;
    }
    for attachment in &cloud.attachments {
        let what = format!("attachments: attachment {}", attachment.id);
        named(what, "volumes", &volumes, &attachment.volume_id)?;
    }
    for (project, volume_type) in &cloud.project_default_types {
        let what = || "project_default_types".to_string();
        named(what(), "projects", &projects, project)?;
        named(what(), "volume_types", &volume_types, volume_type)?;
    }
    for saved in &cloud.snapshots {
        let snapshot = &saved.snapshot;
        let what = || format!("snapshots: snapshot {}", snapshot.id);
        named(what(), "projects", &projects, &snapshot.project_id)?;
        named(what(), "volumes", &volumes, &snapshot.volume_id)?;
    }
    for saved in &cloud.images {
        let image = &saved.image;
        named(
            format!("images: image {}", image.id),
            "projects",
            &projects,
            &image.owner,
        )?;
    }
    for network in &cloud.networks {
        let what = format!("networks: network {}", network.id);
        named(what, "projects", &projects, &network.project_id)?;
    }
    for subnet in &cloud.subnets {
        let what = || format!("subnets: subnet {}", subnet.id);
        named(what(), "projects", &projects, &subnet.project_id)?;
        named(what(), "networks", &networks, &subnet.network_id)?;
    }
    for port in &cloud.ports {
        let what = || format!("ports: port {}", port.id);
        // The ports Neutron makes for router gateways and floating IPs belong to no project.
        if !port.project_id.is_empty() {
            named(what(), "projects", &projects, &port.project_id)?;
        }
        named(what(), "networks", &networks, &port.network_id)?;
    }
    for router in &cloud.routers {
        let what = || format!("routers: router {}", router.id);
        named(what(), "projects", &projects, &router.project_id)?;
        if let Some(gateway) = &router.gateway {
            named(what(), "networks", &networks, &gateway.network_id)?;
            named(what(), "ports", &ports, &gateway.port_id)?;
        }
    }
    for floating_ip in &cloud.floating_ips {
        let what = || format!("floating_ips: floating IP {}", floating_ip.id);
        named(what(), "projects", &projects, &floating_ip.project_id)?;
        named(
            what(),
            "networks",
            &networks,
            &floating_ip.floating_network_id,
        )?;
        named(what(), "ports", &ports, &floating_ip.floating_port_id)?;
        if let Some(port) = &floating_ip.port_id {
            named(what(), "ports", &ports, port)?;
        }
    }
    for group in &cloud.security_groups {
        let what = format!("security_groups: group {}", group.id);
        named(what, "projects", &projects, &group.project_id)?;
    }
    for project in cloud.quotas.keys() {
        named("quotas".into(), "projects", &projects, project)?;
    }
    for change in &cloud.schedule {
        let (table, known, id) = match &change.due {
            Due::Server { id, .. } | Due::ServerGone { id } => ("servers", &servers, id),
            Due::Volume { id, .. }
            | Due::VolumeGone { id }
            | Due::VolumeUploaded { volume_id: id, .. } => ("volumes", &volumes, id),
            Due::Snapshot { id, .. } | Due::SnapshotGone { id } => ("snapshots", &snapshots, id),
            Due::Image { id, .. } => ("images", &images, id),
            Due::ImportFinished { task_id } => ("image_tasks", &image_tasks, task_id),
        };
        named("schedule: a pending change".into(), table, known, id)?;
    }
    Ok(())
}
