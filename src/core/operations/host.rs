//! Which Azure DevOps service a URL's host names, and the organization when the host carries it
//! (the legacy `{organization}.visualstudio.com` forms).

use super::data;

/// The service hosts whose legacy form is `{organization}.{service}.visualstudio.com`.
const SERVICES: [&str; 10] =
    ["vsrm", "vssps", "vsaex", "pkgs", "feeds", "vstmr", "almsearch", "auditservice", "extmgmt", "artifacts"];

/// The spec host a template names when every service host serves it.
const ANY_SERVICE: &str = "{service}dev.azure.com";

/// What a URL's host is, for the operation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Host<'a> {
    /// Not an Azure DevOps host.
    Foreign,
    /// An Azure DevOps host (`*.dev.azure.com`, `*.visualstudio.com`) that no operation uses.
    Unserved,
    /// A service host of the table (an index into `data::HOSTS`), with the organization when
    /// the host carries it.
    Service { index: usize, organization: Option<&'a str> },
}

impl Host<'_> {
    /// `true` when operations written for spec host `index` are served here.
    pub(super) fn serves(&self, index: usize) -> bool {
        match *self {
            Host::Service { index: here, .. } => {
                here == index
                    || (data::HOSTS.get(index) == Some(&ANY_SERVICE)
                        && data::HOSTS.get(here).is_some_and(|h| h.ends_with("dev.azure.com")))
            }
            _ => false,
        }
    }
}

fn service(name: &str) -> Option<usize> {
    data::HOSTS.iter().position(|h| *h == name)
}

/// Classifies a lowercased host (the URL parser lowercases it).
pub(super) fn classify(host: &str) -> Host<'_> {
    let served = |name: &str, organization| match service(name) {
        Some(index) => Host::Service { index, organization },
        None => Host::Unserved,
    };
    if host == "dev.azure.com" || host == "app.vssps.visualstudio.com" {
        return served(host, None);
    }
    if let Some(sub) = host.strip_suffix(".dev.azure.com") {
        return if sub.contains('.') { Host::Unserved } else { served(host, None) };
    }
    let Some(legacy) = host.strip_suffix(".visualstudio.com") else { return Host::Foreign };
    match legacy.split_once('.') {
        None if !legacy.is_empty() => served("dev.azure.com", Some(legacy)),
        Some((org, svc)) if !org.is_empty() && SERVICES.contains(&svc) => {
            let mut name = String::with_capacity(svc.len() + 14);
            name.push_str(svc);
            name.push_str(".dev.azure.com");
            served(&name, Some(org))
        }
        _ => Host::Unserved,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn name(h: Host<'_>) -> Option<(&'static str, Option<&str>)> {
        match h {
            Host::Service { index, organization } => Some((data::HOSTS[index], organization)),
            _ => None,
        }
    }

    #[test]
    fn hosts_new_and_legacy() {
        assert_eq!(name(classify("dev.azure.com")), Some(("dev.azure.com", None)));
        assert_eq!(name(classify("vsrm.dev.azure.com")), Some(("vsrm.dev.azure.com", None)));
        assert_eq!(name(classify("contoso.visualstudio.com")), Some(("dev.azure.com", Some("contoso"))));
        assert_eq!(name(classify("contoso.vsrm.visualstudio.com")), Some(("vsrm.dev.azure.com", Some("contoso"))));
        assert_eq!(name(classify("contoso.vssps.visualstudio.com")), Some(("vssps.dev.azure.com", Some("contoso"))));
        assert_eq!(name(classify("app.vssps.visualstudio.com")), Some(("app.vssps.visualstudio.com", None)));
        assert_eq!(classify("example.com"), Host::Foreign);
        assert_eq!(classify("dev.azure.com.evil.example"), Host::Foreign);
        assert_eq!(classify("visualstudio.com"), Host::Foreign);
        assert_eq!(classify("nothing.dev.azure.com"), Host::Unserved);
        assert_eq!(classify("a.b.dev.azure.com"), Host::Unserved);
        assert_eq!(classify("contoso.unknown.visualstudio.com"), Host::Unserved);
    }
}
