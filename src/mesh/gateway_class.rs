//! Which Gateway API Gateways are Istio's, and what Istio does with each,
//! by its class (`FetchGatewayClass`, `ClassInfos` and
//! `GetBuiltinGatewayClasses` in `pilot/pkg/config/kube/gatewaycommon/`).
//!
//! A GatewayClass object decides by its `controllerName`. Without one,
//! Istio still knows its built-in class names (`istio`, `istio-remote`,
//! `istio-waypoint`, `istio-east-west`, and the agentgateway ones); any
//! other class name "may be meant for another controller" and Istio
//! skips the Gateway. meshctl does the same with such an unknown class,
//! and says so, since the class object is often left out of offline input.
//!
//! The built-in list is Istio's with its defaults: the waypoint and
//! east-west classes exist when ambient (and its multi-network mode) is
//! on, the agentgateway ones when that experimental controller is; a
//! Gateway naming them is taken to mean the feature is on.

use std::collections::HashMap;

/// The controller of Istio's gateways (`PILOT_GATEWAY_API_CONTROLLER_NAME`).
pub const GATEWAY_CONTROLLER: &str = "istio.io/gateway-controller";
const EAST_WEST_CONTROLLER: &str = "istio.io/eastwest-controller";
const MESH_CONTROLLER: &str = "istio.io/mesh-controller";
const UNMANAGED_CONTROLLER: &str = "istio.io/unmanaged-gateway";
const AGENTGATEWAY_CONTROLLERS: [&str; 2] = [
    "istio.io/agentgateway-controller",
    "istio.io/agentgateway-waypoint-controller",
];

/// Istio's class names that need no GatewayClass object, with their
/// controllers.
pub const BUILT_IN_CLASSES: [(&str, &str); 6] = [
    ("istio", GATEWAY_CONTROLLER),
    ("istio-remote", UNMANAGED_CONTROLLER),
    ("istio-waypoint", MESH_CONTROLLER),
    ("istio-east-west", EAST_WEST_CONTROLLER),
    ("istio-agentgateway", AGENTGATEWAY_CONTROLLERS[0]),
    ("istio-agentgateway-waypoint", AGENTGATEWAY_CONTROLLERS[1]),
];

/// What Istio makes of a Gateway of some class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// `istio.io/gateway-controller`: Istio deploys and programs it,
    /// ListenerSets included.
    Ingress,
    /// `istio.io/eastwest-controller`: programmed, without ListenerSets;
    /// its HBONE listener (port 15008) takes no routes.
    EastWest,
    /// `istio.io/mesh-controller`: a waypoint. Its listeners are built,
    /// but no routes are converted for it as a gateway, and it takes no
    /// ListenerSets.
    Waypoint,
    /// `istio.io/unmanaged-gateway`: a gateway of another network that
    /// this control plane does not program at all.
    Remote,
    /// Istio's agentgateway data plane, which meshctl does not model.
    Agentgateway,
    /// A GatewayClass of the input names another controller.
    Foreign { controller: String },
    /// No GatewayClass in the input and not a built-in name: Istio skips
    /// the Gateway, and so does meshctl.
    Unknown,
}

impl Role {
    /// Whether Istio builds the Gateway's listeners (and reports their
    /// conditions: route kinds, certificates).
    pub fn builds_listeners(&self) -> bool {
        matches!(self, Role::Ingress | Role::EastWest | Role::Waypoint)
    }

    /// Whether the class takes ListenerSets and reports listener
    /// conflicts (`SupportsListenerSet`).
    pub fn supports_listener_sets(&self) -> bool {
        *self == Role::Ingress
    }

    /// Whether Istio reports on the ListenerSets that name the Gateway
    /// (it refuses them when the class takes none).
    pub fn reports_listener_sets(&self) -> bool {
        matches!(
            self,
            Role::Ingress | Role::EastWest | Role::Waypoint | Role::Remote
        )
    }

    /// Whether routes attached to the Gateway become gateway routes.
    pub fn routes_traffic(&self) -> bool {
        matches!(self, Role::Ingress | Role::EastWest)
    }
}

/// The GatewayClasses of the input by name, with their controllers.
pub struct GatewayClasses<'a> {
    controllers: HashMap<&'a str, &'a str>,
}

impl<'a> GatewayClasses<'a> {
    /// From (class name, controller name) pairs.
    pub fn new(classes: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        GatewayClasses {
            controllers: classes.collect(),
        }
    }

    /// What Istio makes of a Gateway whose `gatewayClassName` is `class`.
    /// Istio keeps only the class objects of its own controllers, so an
    /// object of another controller under a built-in name does not hide
    /// the built-in class.
    pub fn role(&self, class: &str) -> Role {
        let object = self.controllers.get(class).copied();
        let built_in = BUILT_IN_CLASSES
            .iter()
            .find(|(name, _)| *name == class)
            .map(|(_, controller)| *controller);
        if let Some(role) = object.and_then(istio_role) {
            return role;
        }
        match (built_in.and_then(istio_role), object) {
            (Some(role), _) => role,
            (None, Some(c)) => Role::Foreign {
                controller: c.to_string(),
            },
            (None, None) => Role::Unknown,
        }
    }

    /// Why a Gateway of `class` is not programmed by Istio as a gateway
    /// meshctl can judge or route through; `None` when it is.
    pub fn not_istios(&self, class: &str) -> Option<String> {
        let reason = match self.role(class) {
            Role::Ingress | Role::EastWest => return None,
            Role::Waypoint => format!(
                "its class {class:?} ({MESH_CONTROLLER}) makes it a waypoint, for which Istio \
                 converts no routes as a gateway"
            ),
            Role::Remote => format!(
                "its class {class:?} ({UNMANAGED_CONTROLLER}) is a gateway of another network \
                 that this control plane does not program"
            ),
            Role::Agentgateway => format!(
                "its class {class:?} runs Istio's agentgateway data plane, which meshctl does \
                 not model"
            ),
            Role::Foreign { controller } => format!(
                "its GatewayClass {class:?} names controller {controller:?}, not one of Istio's"
            ),
            Role::Unknown => format!(
                "its GatewayClass {class:?} is not in the input and is not one of Istio's \
                 built-in classes ({}), so Istio leaves it to another controller; add the \
                 GatewayClass to the input if its controller is {GATEWAY_CONTROLLER}",
                built_in_names()
            ),
        };
        Some(reason)
    }
}

/// The role of one of Istio's controllers; `None` for another's.
fn istio_role(controller: &str) -> Option<Role> {
    Some(match controller {
        GATEWAY_CONTROLLER => Role::Ingress,
        EAST_WEST_CONTROLLER => Role::EastWest,
        MESH_CONTROLLER => Role::Waypoint,
        UNMANAGED_CONTROLLER => Role::Remote,
        c if AGENTGATEWAY_CONTROLLERS.contains(&c) => Role::Agentgateway,
        _ => return None,
    })
}

/// `istio, istio-remote, ...`.
fn built_in_names() -> String {
    BUILT_IN_CLASSES.map(|(name, _)| name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_object_decides_by_its_controller_then_built_in_names() {
        let classes = GatewayClasses::new(
            [
                ("eg", "gateway.envoyproxy.io/gatewayclass-controller"),
                ("custom", GATEWAY_CONTROLLER),
                // Istio drops a class object of another controller, so
                // the built-in class of that name stands.
                ("istio-remote", "example.com/other"),
            ]
            .into_iter(),
        );
        assert_eq!(classes.role("custom"), Role::Ingress);
        assert_eq!(classes.role("istio"), Role::Ingress);
        assert_eq!(classes.role("istio-waypoint"), Role::Waypoint);
        assert_eq!(classes.role("istio-east-west"), Role::EastWest);
        assert_eq!(classes.role("istio-agentgateway"), Role::Agentgateway);
        assert_eq!(classes.role("istio-remote"), Role::Remote);
        assert!(matches!(classes.role("eg"), Role::Foreign { .. }));
        assert_eq!(classes.role("nginx"), Role::Unknown);
        assert_eq!(classes.not_istios("istio"), None);
        assert!(
            classes
                .not_istios("nginx")
                .unwrap()
                .contains("not in the input")
        );
    }

    #[test]
    fn what_each_role_gets() {
        let classes = GatewayClasses::new(std::iter::empty());
        let role = |class| classes.role(class);
        assert!(role("istio").supports_listener_sets());
        assert!(!role("istio-east-west").supports_listener_sets());
        assert!(role("istio-waypoint").builds_listeners());
        assert!(!role("istio-waypoint").routes_traffic());
        assert!(!role("istio-remote").builds_listeners());
        assert!(!role("nginx").builds_listeners());
    }
}
