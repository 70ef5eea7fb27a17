//! What the caller knows about the request it expects, for [`super::check_authorization_request`].

/// The caller's expectations; every field is optional and the default checks the URL alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectations {
    /// The app's `client_id`; a different one is blocked (`CLIENT_ID_MISMATCH`).
    pub client_id: Option<String>,
    /// The app's exact `redirect_uri` (RFC 6749 §3.1.2, compared as a string); a different or
    /// missing one is blocked (`REDIRECT_URI_MISMATCH`).
    pub redirect_uri: Option<String>,
    /// Extra authorization-server hosts to trust exactly (e.g. a generic OIDC provider:
    /// `accounts.example.com`). Hosts only: no scheme, port or path; HTTPS and the default
    /// port are still required.
    pub trusted_authority_hosts: Vec<String>,
    /// Development only: trust `http` and any port on `localhost`, `127.0.0.0/8` and `[::1]`
    /// (a local test provider). Never enable in production; each use is reported as a warning.
    pub dangerously_allow_http_loopback_authority: bool,
    /// The app sends its parameters in a request object (`request` or `request_uri`, RFC 9101
    /// §5, RFC 9126 §4). Without this a request object is blocked (`REQUEST_OBJECT`): it can
    /// replace every parameter this check reads. With it the finding is informational, since
    /// the parameters inside are still not checked.
    pub allow_request_object: bool,
    /// The Azure DevOps REST calls the app makes, each `"METHOD URL"` (`"GET
    /// https://dev.azure.com/contoso/_apis/projects"`) or a bare URL (a `GET`). When given, the
    /// requested scopes are judged against what these calls need (`SCOPE_NOT_NEEDED`,
    /// `SCOPE_BROADER_THAN_NEEDED`, `SCOPE_OVER_ASK`, `OPERATION_NOT_COVERED`) and the report
    /// carries the needed set.
    pub operations: Option<Vec<String>>,
}
