//! The Azure DevOps REST operation table (src/core/operations/): pinned against the facts file
//! it was generated from (counts and a sample of operations with their scopes, copied here from
//! ../shared/facts/azure-devops-rest-scopes.json, which tests never read), every operation
//! resolving to itself from a URL built on its template, real URLs, and the minimal scopes of
//! three realistic apps.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use browser_oauth::core::operations::{
    examples, minimal_scopes, parse_call, required_scopes, Operation, Required, OPERATION_COUNT,
};
use browser_oauth::core::scopes::AdoScope;
use browser_oauth::Error;

fn scope_names(op: Operation) -> Vec<&'static str> {
    op.scopes().map(AdoScope::name).collect()
}

fn resolve(method: &str, url: &str) -> Required {
    required_scopes(method, url).unwrap()
}

fn op(method: &str, url: &str) -> Operation {
    match resolve(method, url) {
        Required::Operation(o) => o,
        other => panic!("{method} {url}: {other:?}"),
    }
}

#[test]
fn the_table_holds_every_operation_of_the_facts_file() {
    assert_eq!(OPERATION_COUNT, 1005);
    let all: Vec<Operation> = Operation::all().collect();
    assert_eq!(all.len(), 1005);
    let by_count = |n: usize| all.iter().filter(|o| o.scopes().count() == n).count();
    // The facts file's own counts: 918 with one scope, 59 with two or three, 28 with none.
    assert_eq!((by_count(1), by_count(2) + by_count(3), by_count(0)), (918, 59, 28));
    assert_eq!(all.iter().filter(|o| o.method() == "GET").count(), 507);
    assert_eq!(all.iter().filter(|o| o.host() == "vsrm.dev.azure.com").count(), 31);
}

/// (method, spec host, path template, scopes) copied from the facts file.
const SAMPLE: [(&str, &str, &str, &[&str]); 22] = [
    ("GET", "dev.azure.com", "/{organization}/_apis/hooks/consumers", &["vso.build", "vso.code", "vso.work"]),
    ("GET", "dev.azure.com", "/{organization}/_apis/hooks/consumers/{consumerId}/actions/{consumerActionId}", &["vso.build", "vso.code", "vso.work"]),
    ("GET", "dev.azure.com", "/{organization}/_apis/accesscontrollists/{securityNamespaceId}", &[]),
    ("POST", "dev.azure.com", "/{organization}/_apis/hooks/publishers/{publisherId}/inputValuesQuery", &[]),
    ("GET", "dev.azure.com", "/{organization}/{project}/_apis/test/Runs/{runId}/attachments", &["vso.test"]),
    ("GET", "dev.azure.com", "/{organization}/{project}/_apis/build/retention/leases", &["vso.build"]),
    ("GET", "dev.azure.com", "/{organization}/{project}/{team}/_apis/work/boards/{board}/cardsettings", &["vso.work"]),
    ("PUT", "dev.azure.com", "/{organization}/{project}/{team}/_apis/work/boards/{board}/rows", &["vso.work_write"]),
    ("GET", "dev.azure.com", "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/iterations/{iterationId}/changes", &["vso.code"]),
    ("POST", "dev.azure.com", "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/threads/{threadId}/comments", &["vso.code_write", "vso.threads_full"]),
    ("DELETE", "artifacts.dev.azure.com", "/{organization}/_apis/symbol/requests", &["vso.symbols_manage"]),
    ("DELETE", "dev.azure.com", "/{organization}/{project}/_apis/git/repositories/{repositoryId}/pullRequests/{pullRequestId}/statuses/{statusId}", &["vso.code_status", "vso.code_write"]),
    ("PATCH", "dev.azure.com", "/{organization}/{project}/_apis/build/settings", &["vso.build_execute"]),
    ("GET", "vsaex.dev.azure.com", "/{organization}/_apis/memberentitlements", &["vso.memberentitlementmanagement"]),
    ("GET", "app.vssps.visualstudio.com", "/_apis/profile/profiles/{id}", &["vso.profile"]),
    ("GET", "dev.azure.com", "/{organization}/_apis/projects", &["vso.profile", "vso.project"]),
    ("POST", "dev.azure.com", "/{organization}/{project}/_apis/build/builds", &["vso.build_execute"]),
    ("DELETE", "dev.azure.com", "/{organization}/{project}/_apis/wit/workitems/{id}", &["vso.work_write"]),
    ("POST", "dev.azure.com", "/{organization}/{project}/_apis/wit/workitems/${type}", &["vso.work_write"]),
    ("GET", "vsrm.dev.azure.com", "/{organization}/{project}/_apis/release/approvals", &["vso.release"]),
    ("PUT", "{service}dev.azure.com", "/{organization}/_apis/notification/Subscriptions/{subscriptionId}/usersettings/{userId}", &["vso.notification_write"]),
    ("GET", "status.dev.azure.com", "/_apis/status/health", &[]),
];

#[test]
fn a_sample_of_the_facts_file_is_in_the_table_as_written() {
    for (method, host, path, scopes) in SAMPLE {
        let found = Operation::all().find(|o| o.method() == method && o.host() == host && o.path() == path);
        let found = found.unwrap_or_else(|| panic!("{method} {host}{path} is missing"));
        assert_eq!(scope_names(found), scopes, "{method} {host}{path}");
    }
}

/// A URL for `op`: its template with sample values, on a host that serves it.
fn url_for(op: Operation, with_optional: bool) -> String {
    let host = if op.host().starts_with('{') { "dev.azure.com" } else { op.host() };
    let mut url = format!("https://{host}");
    for (i, s) in op.segments().enumerate() {
        let value = match s {
            "{organization}" => "contoso".to_owned(),
            "{project}" | "{team}" if !with_optional => continue,
            "{project}" => "Web%20Site".to_owned(),
            "{team}" => "Web Site Team".replace(' ', "%20"),
            s if s.starts_with("${") => "$Task".to_owned(),
            s if s.starts_with("@{") => "@scope".to_owned(),
            s if s.starts_with('{') => format!("v{i}"),
            s => s.to_owned(),
        };
        url.push('/');
        url.push_str(&value);
    }
    url.push_str("?api-version=7.1");
    url
}

#[test]
fn every_operation_resolves_to_its_own_scopes_from_its_template() {
    for o in Operation::all() {
        for with_optional in [true, false] {
            let url = url_for(o, with_optional);
            let found = op(o.method(), &url);
            // Another template may fit the same URL only with the very same scopes.
            assert_eq!(scope_names(found), scope_names(o), "{} {url} -> {} {}", o.method(), found.method(), found.path());
            if with_optional {
                assert_eq!(found, o, "{} {url} -> {}", o.method(), found.path());
            }
        }
    }
}

#[test]
fn real_urls_with_organization_project_ids_and_queries() {
    let cases: [(&str, &str, &[&str]); 12] = [
        ("GET", "https://dev.azure.com/contoso/Website/_apis/git/repositories?api-version=7.1", &["vso.code"]),
        ("get", "https://DEV.AZURE.COM/contoso/Website/_apis/Git/Repositories/?api-version=7.1-preview.1&$top=5", &["vso.code"]),
        ("GET", "https://dev.azure.com/contoso/_apis/git/repositories", &["vso.code"]),
        ("DELETE", "https://dev.azure.com/contoso/6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c/_apis/git/repositories/5febef5a-833d-4e14-b9c0-14cb638f91e6?api-version=7.1", &["vso.code_manage"]),
        ("POST", "https://dev.azure.com/contoso/My%20Project/_apis/build/builds?api-version=7.1", &["vso.build_execute"]),
        ("POST", "https://dev.azure.com/contoso/Website/_apis/wit/workitems/%24Bug?api-version=7.1", &["vso.work_write"]),
        ("PATCH", "https://dev.azure.com/contoso/Website/_apis/wit/workitems/42?api-version=7.1#top", &["vso.work_write"]),
        ("POST", "https://contoso.visualstudio.com/DefaultCollection/Website/_apis/wit/wiql?api-version=7.1", &["vso.work"]),
        ("GET", "https://contoso.visualstudio.com/_apis/projects", &["vso.profile", "vso.project"]),
        ("GET", "https://contoso.vsrm.visualstudio.com/Website/_apis/release/approvals", &["vso.release"]),
        ("GET", "https://vssps.dev.azure.com/contoso/_apis/graph/users?api-version=7.1-preview.1", &["vso.graph"]),
        ("GET", "https://app.vssps.visualstudio.com/_apis/profile/profiles/me?api-version=7.1", &["vso.profile"]),
    ];
    for (method, url, scopes) in cases {
        assert_eq!(scope_names(op(method, url)), scopes, "{method} {url}");
    }
}

#[test]
fn unknown_calls_say_so_and_other_hosts_are_not_azure_devops() {
    for (method, url) in [
        ("GET", "https://dev.azure.com/contoso/Website/_apis/nothing/here"),
        ("OPTIONS", "https://dev.azure.com/contoso/_apis/projects"),
        ("GET", "https://dev.azure.com/contoso//_apis/projects"),
        ("GET", "https://dev.azure.com/contoso/_apis/projects/%zz"),
        ("GET", "https://dev.azure.com/"),
        ("GET", "https://unknown.dev.azure.com/contoso/_apis/projects"),
    ] {
        assert_eq!(resolve(method, url), Required::Unknown, "{method} {url}");
    }
    for url in [
        "https://graph.microsoft.com/v1.0/me",
        "https://dev.azure.com.evil.example/contoso/_apis/projects",
        "http://dev.azure.com/contoso/_apis/projects",
        "https://dev.azure.com:8443/contoso/_apis/projects",
        "https://user@dev.azure.com/contoso/_apis/projects",
    ] {
        assert_eq!(resolve("GET", url), Required::NotAzureDevOps, "{url}");
    }
    assert!(matches!(required_scopes("GET", "not a url"), Err(Error::InvalidUrl { .. })));
    assert!(matches!(required_scopes("GE T", "https://dev.azure.com/"), Err(Error::InvalidOption { .. })));
    assert!(matches!(required_scopes("", "https://dev.azure.com/"), Err(Error::InvalidOption { .. })));
}

#[test]
fn a_long_path_is_refused_quickly() {
    let long = format!("https://dev.azure.com/contoso/{}", "a/".repeat(8000));
    let start = std::time::Instant::now();
    assert_eq!(resolve("GET", &long), Required::Unknown);
    let segment = format!("https://dev.azure.com/contoso/_apis/git/repositories/{}", "%41".repeat(5000));
    assert_eq!(scope_names(op("GET", &segment)), ["vso.code"]);
    assert!(start.elapsed().as_millis() < 500);
}

fn minimal(calls: &[&str]) -> (Vec<&'static str>, bool) {
    let ops: Vec<Operation> = calls.iter().map(|c| parse_call(c)).map(|(m, u)| op(m, u)).collect();
    let m = minimal_scopes(&ops);
    (m.scopes.iter().map(|s| s.name()).collect(), m.exact)
}

const ORG: &str = "https://dev.azure.com/contoso";

#[test]
fn minimal_scopes_of_a_pull_request_dashboard() {
    let calls = [
        "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me".to_owned(),
        format!("GET {ORG}/_apis/projects"),
        format!("GET {ORG}/Website/_apis/git/repositories"),
        format!("GET {ORG}/Website/_apis/git/pullrequests?searchCriteria.status=active"),
        format!("GET {ORG}/Website/_apis/git/repositories/website/pullRequests/17/threads"),
        format!("GET {ORG}/Website/_apis/git/repositories/website/pullRequests/17/statuses"),
        format!("POST {ORG}/Website/_apis/git/repositories/website/pullRequests/17/threads"),
        format!("PUT {ORG}/Website/_apis/git/repositories/website/pullRequests/17/reviewers/me"),
    ];
    let calls: Vec<&str> = calls.iter().map(String::as_str).collect();
    // vso.code_write includes vso.code, which includes vso.profile (through vso.hooks_write).
    assert_eq!(minimal(&calls), (vec!["vso.code_write"], true));
    // Read-only, the same dashboard needs only vso.code.
    assert_eq!(minimal(&calls[..6]), (vec!["vso.code"], true));
}

#[test]
fn minimal_scopes_of_a_work_item_board() {
    let calls = [
        format!("GET {ORG}/_apis/teams"),
        format!("GET {ORG}/Website/Website%20Team/_apis/work/teamsettings/iterations"),
        format!("GET {ORG}/Website/Website%20Team/_apis/work/boards"),
        format!("POST {ORG}/Website/Website%20Team/_apis/wit/wiql"),
        format!("POST {ORG}/Website/_apis/wit/workitemsbatch"),
        format!("PATCH {ORG}/Website/_apis/wit/workitems/42"),
        format!("POST {ORG}/Website/_apis/wit/workitems/$Task"),
    ];
    let calls: Vec<&str> = calls.iter().map(String::as_str).collect();
    assert_eq!(minimal(&calls), (vec!["vso.project", "vso.work_write"], true));
}

#[test]
fn minimal_scopes_of_a_pipeline_runner() {
    let calls = [
        format!("GET {ORG}/Website/_apis/pipelines"),
        format!("POST {ORG}/Website/_apis/pipelines/4/runs"),
        format!("GET {ORG}/Website/_apis/pipelines/4/runs/311"),
        format!("GET {ORG}/Website/_apis/pipelines/4/runs/311/logs"),
        format!("GET {ORG}/Website/_apis/distributedtask/variablegroups"),
        format!("POST {ORG}/Website/_apis/git/repositories/website/commits/0a1b2c/statuses"),
    ];
    let calls: Vec<&str> = calls.iter().map(String::as_str).collect();
    // Commit statuses: vso.code_status, not vso.code_write (either allows it; it grants less).
    assert_eq!(minimal(&calls), (vec!["vso.build_execute", "vso.code_status", "vso.variablegroups_read"], true));
}

#[test]
fn examples_say_what_a_scope_unlocks() {
    let ex = |n: &str| examples(AdoScope::lookup(n).unwrap()).collect::<Vec<_>>();
    assert!(ex("vso.code_manage").contains(&"delete repositories"), "{:?}", ex("vso.code_manage"));
    assert!(ex("vso.build_execute").contains(&"queue builds"), "{:?}", ex("vso.build_execute"));
    assert!(ex("vso.work_write").contains(&"create work items"), "{:?}", ex("vso.work_write"));
    assert!(AdoScope::all().all(|s| examples(s).count() <= 4));
    // Every example comes from an operation the scope grants.
    for s in AdoScope::all() {
        for e in examples(s) {
            let verb = e.split(' ').next().unwrap();
            assert!(["delete", "create", "update", "read", "queue", "run", "push", "send", "search"].contains(&verb), "{e}");
        }
    }
}
