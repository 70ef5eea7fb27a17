//! The Microsoft Entra ID v2 preset (shared/facts §2.1) and how a tenant becomes an issuer.
//!
//! Only the multi-tenant aliases `common` and `organizations` publish the `{tenantid}` template;
//! `consumers` is one fixed tenant and a tenant GUID is its own exact issuer. A verified domain
//! (`contoso.com`) names one tenant too, but its id is not in the name: it must be resolved
//! through the domain's discovery document ([`Provider::entra_discovery_url`],
//! [`Provider::entra_from_discovery`]) or pinned by the caller as a GUID. Giving a domain the
//! template would let every tenant's ID token and `iss` pass.

use super::{is_guid, IssuerPolicy, Provider, TENANT_PLACEHOLDER};
use crate::core::error::{Error, Result};
use crate::core::json::{self, Value};

/// Microsoft Entra authority hosts a client may be configured with: global, US Government,
/// China (21Vianet), and the aliases MSAL.js knows (shared/facts §4).
pub const ENTRA_HOSTS: &[&str] = &[
    "login.microsoftonline.com",
    "login.microsoft.com",
    "login.windows.net",
    "login.microsoftonline.us",
    "login-us.microsoftonline.com",
    "login.usgovcloudapi.net",
    "login.partner.microsoftonline.cn",
    "login.chinacloudapi.cn",
];

/// The consumer tenant's fixed id (shared/facts §2.1).
pub const ENTRA_CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// The authorities that accept accounts of any tenant, and so publish the template issuer.
const MULTI_TENANT: &[&str] = &["common", "organizations"];

/// Which issuer a configured tenant has.
enum TenantIssuer<'a> {
    /// `common`, `organizations`: the `{tenantid}` template, resolved from each token's `tid`.
    Template,
    /// `consumers` or a tenant GUID: one exact tenant id.
    Fixed(&'a str),
    /// A verified domain or any other name: one tenant whose id only discovery can tell.
    NeedsDiscovery,
}

fn check_host(host: Option<&str>) -> Result<&str> {
    let host = host.unwrap_or("login.microsoftonline.com");
    if ENTRA_HOSTS.contains(&host) {
        Ok(host)
    } else {
        Err(Error::InvalidOption { name: "entra.host", reason: "not a microsoft entra authority host" })
    }
}

fn classify(tenant: &str) -> Result<TenantIssuer<'_>> {
    let tenant_ok = !tenant.is_empty()
        && tenant.len() <= 256
        && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !tenant.starts_with('.');
    if !tenant_ok {
        return Err(Error::InvalidOption { name: "entra.tenant", reason: "not a tenant id, domain or alias" });
    }
    Ok(if MULTI_TENANT.contains(&tenant) {
        TenantIssuer::Template
    } else if tenant == "consumers" {
        TenantIssuer::Fixed(ENTRA_CONSUMERS_TENANT_ID)
    } else if is_guid(tenant) {
        TenantIssuer::Fixed(tenant)
    } else {
        TenantIssuer::NeedsDiscovery
    })
}

/// The preset on `host` whose endpoints name `tenant` and whose issuer names `issuer_tenant`.
fn preset(host: &str, tenant: &str, issuer_tenant: &str) -> Provider {
    let base = crate::core::text::concat(&["https://", host, "/", tenant]);
    Provider {
        issuer_policy: if issuer_tenant == TENANT_PLACEHOLDER { IssuerPolicy::EntraTenantTemplate } else { IssuerPolicy::Exact },
        issuer: crate::core::text::concat(&["https://", host, "/", issuer_tenant, "/v2.0"]),
        authorization_endpoint: crate::core::text::concat(&[&base, "/oauth2/v2.0/authorize"]),
        token_endpoint: crate::core::text::concat(&[&base, "/oauth2/v2.0/token"]),
        end_session_endpoint: Some(crate::core::text::concat(&[&base, "/oauth2/v2.0/logout"])),
        jwks_uri: Some(crate::core::text::concat(&[&base, "/discovery/v2.0/keys"])),
        revocation_endpoint: None,
        userinfo_endpoint: Some("https://graph.microsoft.com/oidc/userinfo".to_owned()),
        iss_parameter_supported: false,
        id_token_signing_alg_values_supported: None,
    }
}

impl Provider {
    /// The Microsoft Entra ID v2 preset for `tenant` (`common`, `organizations`, `consumers` or a
    /// tenant GUID) on `host` (default `login.microsoftonline.com`). Endpoints follow the
    /// documented templates (shared/facts §2.1); `common` and `organizations` get the
    /// `{tenantid}` template issuer, the others an exact one. A domain tenant is refused here:
    /// resolve it with [`Provider::entra_discovery_url`] and [`Provider::entra_from_discovery`].
    pub fn entra(tenant: &str, host: Option<&str>) -> Result<Provider> {
        let host = check_host(host)?;
        match classify(tenant)? {
            TenantIssuer::Template => Ok(preset(host, tenant, TENANT_PLACEHOLDER)),
            TenantIssuer::Fixed(id) => Ok(preset(host, tenant, id)),
            TenantIssuer::NeedsDiscovery => {
                Err(Error::InvalidOption { name: "entra.tenant", reason: "a domain tenant must be resolved through discovery" })
            }
        }
    }

    /// The discovery document that tells a domain tenant's id
    /// (`https://{host}/{tenant}/v2.0/.well-known/openid-configuration`, shared/facts §2.1), or
    /// `None` when [`Provider::entra`] needs none (an alias or a GUID).
    pub fn entra_discovery_url(tenant: &str, host: Option<&str>) -> Result<Option<String>> {
        let host = check_host(host)?;
        Ok(match classify(tenant)? {
            TenantIssuer::NeedsDiscovery => Some(crate::core::text::concat(&["https://", host, "/", tenant, "/v2.0/.well-known/openid-configuration"])),
            TenantIssuer::Template | TenantIssuer::Fixed(_) => None,
        })
    }

    /// The preset for a domain `tenant`, from the document fetched from
    /// [`Provider::entra_discovery_url`]. Its `issuer` must be `https://{host}/{guid}/v2.0` for
    /// one tenant GUID: the template, another host or any other shape is refused
    /// ([`Error::IssuerMismatch`]). The document must pass [`Provider::from_discovery`]'s checks;
    /// the endpoints are the preset's, for the resolved tenant.
    pub fn entra_from_discovery(tenant: &str, host: Option<&str>, document: &str) -> Result<Provider> {
        let doc = json::parse(document).map_err(|reason| Error::InvalidJson { what: "provider metadata", reason })?;
        Provider::entra_from_metadata(tenant, host, &doc)
    }

    /// [`Provider::entra_from_discovery`] on a document already parsed (as
    /// [`Provider::from_metadata`]).
    pub fn entra_from_metadata(tenant: &str, host: Option<&str>, doc: &Value) -> Result<Provider> {
        let host = check_host(host)?;
        if !matches!(classify(tenant)?, TenantIssuer::NeedsDiscovery) {
            return Provider::entra(tenant, Some(host));
        }
        let issuer = doc.get("issuer").and_then(Value::as_str).ok_or(Error::InvalidMetadata { field: "issuer" })?;
        let tenant_id = issuer
            .strip_prefix("https://")
            .and_then(|rest| rest.strip_prefix(host))
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.strip_suffix("/v2.0"))
            .filter(|id| is_guid(id))
            .ok_or(Error::IssuerMismatch)?;
        let checked = Provider::from_metadata(issuer, doc, false)?;
        let mut provider = preset(host, tenant_id, tenant_id);
        provider.id_token_signing_alg_values_supported = checked.id_token_signing_alg_values_supported;
        Ok(provider)
    }

    /// `true` when the authorization endpoint is on a Microsoft Entra authority host.
    pub fn is_entra(&self) -> bool {
        crate::core::url::Url::parse(&self.authorization_endpoint).is_ok_and(|u| ENTRA_HOSTS.contains(&u.host()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTOSO: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const OTHER: &str = "00000000-1111-2222-3333-444444444444";

    /// A domain tenant's discovery document as Entra serves it, with `issuer` replaced.
    fn document(issuer: &str) -> String {
        let t = CONTOSO;
        format!(
            r#"{{"token_endpoint":"https://login.microsoftonline.com/{t}/oauth2/v2.0/token","token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt","client_secret_basic"],
            "jwks_uri":"https://login.microsoftonline.com/{t}/discovery/v2.0/keys","response_modes_supported":["query","fragment","form_post"],
            "subject_types_supported":["pairwise"],"id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["code","id_token","code id_token","id_token token"],
            "scopes_supported":["openid","profile","email","offline_access"],"issuer":"{issuer}","request_uri_parameter_supported":false,
            "userinfo_endpoint":"https://graph.microsoft.com/oidc/userinfo","authorization_endpoint":"https://login.microsoftonline.com/{t}/oauth2/v2.0/authorize",
            "device_authorization_endpoint":"https://login.microsoftonline.com/{t}/oauth2/v2.0/devicecode","http_logout_supported":true,"frontchannel_logout_supported":true,
            "end_session_endpoint":"https://login.microsoftonline.com/{t}/oauth2/v2.0/logout","claims_supported":["sub","iss","aud","exp","iat","tid"],
            "kerberos_endpoint":"https://login.microsoftonline.com/{t}/kerberos","tenant_region_scope":"WW","cloud_instance_name":"microsoftonline.com",
            "cloud_graph_host_name":"graph.windows.net","msgraph_host":"graph.microsoft.com","rbac_url":"https://pas.windows.net"}}"#
        )
    }

    fn contoso() -> Provider {
        let doc = document(&format!("https://login.microsoftonline.com/{CONTOSO}/v2.0"));
        Provider::entra_from_discovery("contoso.com", None, &doc).unwrap()
    }

    #[test]
    fn a_domain_tenant_never_gets_the_multi_tenant_template() {
        for domain in ["contoso.com", "contoso.onmicrosoft.com", "Common", "tenant"] {
            assert_eq!(
                Provider::entra(domain, None).err(),
                Some(Error::InvalidOption { name: "entra.tenant", reason: "a domain tenant must be resolved through discovery" }),
                "{domain}"
            );
            assert_eq!(
                Provider::entra_discovery_url(domain, None).unwrap().as_deref(),
                Some(format!("https://login.microsoftonline.com/{domain}/v2.0/.well-known/openid-configuration").as_str())
            );
        }
        for alias in ["common", "organizations", "consumers", CONTOSO] {
            assert_eq!(Provider::entra_discovery_url(alias, None).unwrap(), None, "{alias}");
            assert!(Provider::entra(alias, None).is_ok(), "{alias}");
        }
        assert!(Provider::entra_discovery_url("contoso.com", Some("evil.example")).is_err());
        assert!(Provider::entra_discovery_url("a/b", None).is_err());
    }

    #[test]
    fn a_domain_tenant_takes_the_tenant_id_issuer_from_its_discovery_document() {
        let p = contoso();
        assert_eq!(p.issuer, format!("https://login.microsoftonline.com/{CONTOSO}/v2.0"));
        assert_eq!(p.issuer_policy, IssuerPolicy::Exact);
        assert_eq!(p.authorization_endpoint, format!("https://login.microsoftonline.com/{CONTOSO}/oauth2/v2.0/authorize"));
        assert_eq!(p.token_endpoint, format!("https://login.microsoftonline.com/{CONTOSO}/oauth2/v2.0/token"));
        assert_eq!(p.id_token_signing_alg_values_supported, Some(vec!["RS256".to_owned()]));
        assert!(p.is_entra());
        // Another tenant's issuer, with or without its tid, is not this provider's.
        assert!(p.issuer_matches(&format!("https://login.microsoftonline.com/{CONTOSO}/v2.0")));
        assert!(!p.issuer_matches(&format!("https://login.microsoftonline.com/{OTHER}/v2.0")));
        assert_eq!(p.resolve_issuer(Some(OTHER)).unwrap(), format!("https://login.microsoftonline.com/{CONTOSO}/v2.0"));
        // Other hosts resolve on their own host.
        let us = document(&format!("https://login.microsoftonline.us/{CONTOSO}/v2.0"));
        assert_eq!(Provider::entra_from_discovery("contoso.us", Some("login.microsoftonline.us"), &us).unwrap().issuer,
            format!("https://login.microsoftonline.us/{CONTOSO}/v2.0"));
    }

    #[test]
    fn a_domain_discovery_document_with_the_template_or_another_host_is_refused() {
        let refused = [
            "https://login.microsoftonline.com/{tenantid}/v2.0".to_owned(),
            format!("https://evil.example/{CONTOSO}/v2.0"),
            format!("https://login.microsoftonline.com.evil.example/{CONTOSO}/v2.0"),
            format!("https://login.windows.net/{CONTOSO}/v2.0"),
            format!("http://login.microsoftonline.com/{CONTOSO}/v2.0"),
            format!("https://login.microsoftonline.com/{CONTOSO}/v2.0/"),
            format!("https://login.microsoftonline.com/{CONTOSO}"),
            format!("https://sts.windows.net/{CONTOSO}/"),
            "https://login.microsoftonline.com/contoso.com/v2.0".to_owned(),
            format!("https://login.microsoftonline.com/{CONTOSO}/{OTHER}/v2.0"),
        ];
        for issuer in refused {
            assert_eq!(Provider::entra_from_discovery("contoso.com", None, &document(&issuer)).err(), Some(Error::IssuerMismatch), "{issuer}");
        }
        let good = format!("https://login.microsoftonline.com/{CONTOSO}/v2.0");
        // The rest of the document is held to the discovery checks.
        let bad_algs = document(&good).replace(r#"["RS256"]"#, r#""RS256""#);
        assert_eq!(Provider::entra_from_discovery("contoso.com", None, &bad_algs).err(),
            Some(Error::InvalidMetadata { field: "id_token_signing_alg_values_supported" }));
        assert!(Provider::entra_from_discovery("contoso.com", None, "not json").is_err());
        assert_eq!(Provider::entra_from_discovery("contoso.com", None, "{}").err(), Some(Error::InvalidMetadata { field: "issuer" }));
    }
}
