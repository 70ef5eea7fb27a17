//! Scopes: RFC 6749 §3.3 grammar, the Azure DevOps catalog, Microsoft Entra rules. (in progress)
