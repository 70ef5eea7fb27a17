//! Scopes on the public API: RFC 6749 §3.3 grammar, the whole Azure DevOps catalog and its
//! inclusion graph, the set operations, and the Microsoft Entra rules.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use browser_oauth::core::error::Error;
use browser_oauth::core::scopes::*;

const ID: &str = "499b84ac-1321-427f-aa17-267ca6975798";
const URI: &str = "https://app.vssps.visualstudio.com";

fn all() -> Vec<AdoScope> {
    AdoScope::all().collect()
}

fn scope(name: &str) -> AdoScope {
    AdoScope::lookup(name).unwrap()
}

/// Deterministic xorshift64*, so the "random" subsets are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A subset of the catalog, each scope written in a random one of its three forms.
fn random_subset(rng: &mut Rng) -> Vec<String> {
    let n = 1 + rng.below(12);
    (0..n)
        .map(|_| {
            let s = AdoScope::from_index(rng.below(CATALOG_LEN)).unwrap();
            let form = [AdoForm::Bare, AdoForm::ResourceId, AdoForm::ResourceUri][rng.below(3)];
            with_azure_devops_prefix(s.name(), form)
        })
        .collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

// ---- RFC 6749 §3.3 grammar ---------------------------------------------------------------------

#[test]
fn scope_lists_that_follow_the_grammar_parse() {
    for ok in ["openid profile", "499b84ac-1321-427f-aa17-267ca6975798/.default", "api://x/Read.All", "a", "!#[]~"] {
        assert_eq!(ScopeSet::parse(ok).unwrap().to_scope_string(), ok, "{ok}");
    }
}

#[test]
fn malformed_scope_lists_are_refused_with_a_typed_error() {
    let megabyte = "a".repeat(1 << 20);
    for bad in ["a  b", " a", "a ", " ", "\"x\"", "a\\b", "a\tb", "a\nb", "é", "", megabyte.as_str()] {
        assert!(matches!(ScopeSet::parse(bad), Err(Error::InvalidScope { .. })), "{bad:?}");
    }
    assert!(matches!(ScopeSet::from_tokens(&[]), Err(Error::InvalidScope { .. })));
    assert!(matches!(ScopeSet::from_tokens(&["a", ""]), Err(Error::InvalidScope { .. })));
    assert!(matches!(Scope::parse("a b"), Err(Error::InvalidScope { .. })));
}

#[test]
fn scopes_are_case_sensitive() {
    assert_ne!(Scope::parse("Read").unwrap(), Scope::parse("read").unwrap());
    assert_eq!(ScopeSet::parse("Read read").unwrap().len(), 2);
    assert!(!covers(&["read"], &["Read"]));
    assert!(AdoScope::lookup("VSO.CODE").is_none());
}

#[test]
fn sets_keep_first_order_and_drop_duplicates() {
    let s = ScopeSet::parse("b a b c a").unwrap();
    assert_eq!(s.as_strs(), ["b", "a", "c"]);
    let mut s = ScopeSet::new();
    assert!(s.insert("x").unwrap());
    assert!(!s.insert("x").unwrap());
    assert!(s.insert("").is_err());
}

// ---- the catalog -------------------------------------------------------------------------------

#[test]
fn catalog_matches_the_facts_file_counts() {
    // azure-devops-scopes.json: "scope_count": 86, and 35 rows marked high-privilege.
    assert_eq!(CATALOG_LEN, 86);
    assert_eq!(all().len(), 86);
    assert_eq!(all().iter().filter(|s| s.is_high_privilege()).count(), 35);
    assert_eq!(
        all().iter().filter(|s| s.grants_full_access()).map(|s| s.name()).collect::<Vec<_>>(),
        ["user_impersonation"]
    );
    assert_eq!(retired_scopes().len(), 5);
    assert_eq!(manifest_only_scopes().len(), 12);
}

#[test]
fn every_catalog_scope_is_described_and_found_by_name() {
    let mut names: Vec<&str> = all().iter().map(|s| s.name()).collect();
    for s in all() {
        assert!(s.name() == "user_impersonation" || s.name().starts_with("vso."), "{}", s.name());
        assert!(!s.area().is_empty() && !s.title().is_empty() && !s.description().is_empty(), "{}", s.name());
        assert_eq!(AdoScope::lookup(s.name()), Some(s));
        assert_eq!(AdoScope::from_index(s.index()), Some(s));
        assert_eq!(scope_status(s.name()), ScopeStatus::Known(s));
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 86);
    assert_eq!(AdoScope::from_index(86), None);
}

#[test]
fn high_privilege_flags_follow_the_docs_column() {
    for name in ["vso.advsec", "vso.securefiles_read", "vso.code_write", "vso.tokens", "user_impersonation"] {
        assert!(scope(name).is_high_privilege(), "{name}");
    }
    for name in ["vso.work_write", "vso.work_full", "vso.code", "vso.profile"] {
        assert!(!scope(name).is_high_privilege(), "{name}");
    }
}

#[test]
fn inclusion_is_reflexive_and_transitive_over_the_whole_catalog() {
    let all = all();
    for &a in &all {
        assert!(a.covers(a), "{}", a.name());
        for &b in &all {
            if !a.covers(b) {
                continue;
            }
            for &c in &all {
                if b.covers(c) {
                    assert!(a.covers(c), "{} > {} > {}", a.name(), b.name(), c.name());
                }
            }
        }
    }
}

#[test]
fn inclusion_follows_the_direct_edges_and_nothing_else() {
    let all = all();
    for &a in &all {
        for d in a.includes() {
            assert!(a.covers(d));
        }
        let trans: Vec<AdoScope> = a.includes_transitive().collect();
        for &b in &all {
            assert_eq!(a != b && a.covers(b), trans.contains(&b), "{} / {}", a.name(), b.name());
        }
        // Apart from full access, the graph is acyclic: nothing covers what covers it.
        for &b in &all {
            if a != b && a.covers(b) {
                assert!(!b.covers(a), "cycle {} {}", a.name(), b.name());
            }
        }
    }
    let ui = scope("user_impersonation");
    assert!(all.iter().all(|s| ui.covers(*s)));
}

#[test]
fn docs_examples_of_inclusion_hold() {
    assert!(covers(&["vso.code_manage"], &["vso.code_write", "vso.code"]));
    assert!(covers(&["vso.code"], &["vso.hooks_write", "vso.hooks", "vso.profile"]));
    assert!(covers(&["vso.build_execute"], &["vso.build", "vso.hooks_write"]));
    assert!(covers(&["vso.environment_manage"], &["vso.agentpools_manage", "vso.agentpools"]));
    assert!(!covers(&["vso.code_write"], &["vso.code_manage"]));
    assert!(!covers(&["vso.work_full"], &["vso.code"]));
    assert!(covers(&["user_impersonation"], &["vso.code_full", "vso.tokenadministration"]));
}

#[test]
fn retired_and_manifest_only_names_are_recognised_not_unknown() {
    for (name, _) in retired_scopes() {
        assert!(matches!(scope_status(name), ScopeStatus::Retired { .. }), "{name}");
    }
    for name in ["vso.chat_write", "vso.chat_manage", "vso.graph_write", "vso.loadtest", "vso.loadtest_write"] {
        assert!(matches!(scope_status(name), ScopeStatus::Retired { .. }), "{name}");
        assert!(matches!(scope_status(&format!("{ID}/{name}")), ScopeStatus::Retired { .. }), "{name}");
    }
    for name in manifest_only_scopes() {
        assert_eq!(scope_status(name), ScopeStatus::ManifestOnly(name));
    }
    assert_eq!(scope_status("vso.base"), ScopeStatus::ManifestOnly("vso.base"));
    for unknown in ["vso.connectedserver", "vso.tokens_administration", "vso.Code", "User.Read", "openid", ""] {
        assert_eq!(scope_status(unknown), ScopeStatus::Unknown, "{unknown}");
    }
}

// ---- the three forms ---------------------------------------------------------------------------

#[test]
fn every_catalog_scope_round_trips_through_both_entra_prefix_forms() {
    for s in all() {
        let by_id = s.entra_scope();
        assert_eq!(by_id, format!("{ID}/{}", s.name()));
        let by_uri = with_azure_devops_prefix(s.name(), AdoForm::ResourceUri);
        assert_eq!(by_uri, format!("{URI}/{}", s.name()));
        assert_eq!(split_azure_devops_prefix(&by_id), (AdoForm::ResourceId, s.name()));
        assert_eq!(split_azure_devops_prefix(&by_uri), (AdoForm::ResourceUri, s.name()));
        assert_eq!(split_azure_devops_prefix(s.name()), (AdoForm::Bare, s.name()));
        for form in [
            by_id.as_str(),
            by_uri.as_str(),
            &by_id.to_ascii_uppercase().replace(&s.name().to_ascii_uppercase(), s.name()),
        ] {
            assert_eq!(AdoScope::find(form), Some(s), "{form}");
            assert_eq!(classify_entra_scope(form).resource, Resource::AzureDevOps, "{form}");
            assert_eq!(classify_entra_scope(form).value, s.name());
            assert!(covers(&[form], &[s.name()]) && covers(&[s.name()], &[form]));
        }
        assert_eq!(to_entra_scopes(&[s.name()]).unwrap(), std::slice::from_ref(&by_id));
        assert_eq!(to_entra_scopes(&[&by_uri]).unwrap(), std::slice::from_ref(&by_id));
        assert!(validate_entra_request(&[&by_id, &by_uri]).is_ok());
    }
}

#[test]
fn to_entra_scopes_prefixes_and_validates() {
    assert_eq!(
        to_entra_scopes(&["vso.code", "vso.work_write"]).unwrap(),
        [format!("{ID}/vso.code"), format!("{ID}/vso.work_write")]
    );
    assert_eq!(
        to_entra_scopes(&["openid", "vso.code", "vso.code", "offline_access"]).unwrap(),
        ["openid".to_owned(), format!("{ID}/vso.code"), "offline_access".to_owned()]
    );
    assert_eq!(to_entra_scopes(&[".default"]).unwrap(), [AZURE_DEVOPS_DEFAULT_SCOPE]);
    for bad in ["vso.chat_write", "vso.base", "vso.connectedserver", "User.Read", "api://x/y", "a b", ""] {
        assert!(matches!(to_entra_scopes(&[bad]), Err(Error::InvalidScope { .. })), "{bad}");
    }
    assert!(matches!(to_entra_scopes(&[".default", "vso.code"]), Err(Error::EntraScopeRule { .. })));
}

// ---- set operations over the whole catalog -----------------------------------------------------

fn is_minimal(v: &[&str]) -> bool {
    v.iter().enumerate().all(|(i, a)| v.iter().enumerate().all(|(j, b)| i == j || !covers(&[b], &[a])))
}

#[test]
fn minimize_covers_the_input_and_is_minimal_for_all_pairs() {
    for a in all() {
        for b in all() {
            let input = [a.name(), b.name()];
            let min = minimize(&input);
            assert!(covers(&min, &input), "{input:?}");
            assert!(is_minimal(&min), "{input:?} -> {min:?}");
            assert!(min.len() <= 2 && !min.is_empty());
            if a == b {
                assert_eq!(min, [a.name()]);
            }
        }
    }
}

#[test]
fn minimize_covers_the_input_and_is_minimal_for_random_subsets_in_mixed_forms() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..2000 {
        let owned = random_subset(&mut rng);
        let input = strs(&owned);
        let min = minimize(&input);
        assert!(covers(&min, &input), "{input:?}");
        assert!(is_minimal(&min), "{input:?} -> {min:?}");
        // Order is kept: `min` is a subsequence of the input.
        let mut it = input.iter();
        assert!(min.iter().all(|m| it.any(|i| i == m)), "{input:?} -> {min:?}");
        assert_eq!(minimize(&min), min, "idempotent");
    }
}

#[test]
fn minimize_keeps_foreign_scopes_and_order() {
    let input = ["openid", "vso.code", "vso.code_manage", "User.Read", "openid", "vso.profile", "api://x/a"];
    assert_eq!(minimize(&input), ["openid", "vso.code_manage", "User.Read", "api://x/a"]);
    assert_eq!(minimize(&["vso.code", &format!("{ID}/vso.code")]), ["vso.code"]);
}

#[test]
fn covers_agrees_with_expand_over_all_pairs() {
    for a in all() {
        let expanded = expand(&[a.name()]);
        for b in all() {
            let in_expand = expanded.iter().any(|e| AdoScope::find(e) == Some(b));
            assert_eq!(covers(&[a.name()], &[b.name()]), in_expand, "{} / {}", a.name(), b.name());
        }
        assert_eq!(expanded.len(), 1 + a.includes_transitive().count());
        assert_eq!(expanded[0], a.name());
    }
}

#[test]
fn covers_agrees_with_expand_for_random_subsets() {
    let mut rng = Rng(42);
    for _ in 0..500 {
        let owned = random_subset(&mut rng);
        let granted = strs(&owned);
        let expanded = expand(&granted);
        assert!(covers(&granted, &strs(&expanded)));
        for b in all() {
            let in_expand = expanded.iter().any(|e| AdoScope::find(e) == Some(b));
            assert_eq!(covers(&granted, &[b.name()]), in_expand);
        }
        assert_eq!(minimize(&strs(&expanded)).len(), minimize(&granted).len());
    }
}

#[test]
fn expand_writes_added_scopes_in_the_form_that_brought_them() {
    let e = expand(&[&format!("{ID}/vso.code_write"), "openid"]);
    assert_eq!(e[..2], [format!("{ID}/vso.code_write"), "openid".to_owned()]);
    assert!(e.contains(&format!("{ID}/vso.code")));
    assert!(e.contains(&format!("{ID}/vso.profile")));
    let e = expand(&[&format!("{URI}/vso.wiki_write")]);
    assert_eq!(e, [format!("{URI}/vso.wiki_write"), format!("{URI}/vso.wiki")]);
    assert_eq!(expand(&["user_impersonation"]).len(), 86);
}

#[test]
fn missing_reports_what_the_grant_lacks() {
    assert_eq!(missing(&["vso.code_write"], &["vso.code", "vso.code_manage", "openid"]), ["vso.code_manage", "openid"]);
    assert!(missing(&["vso.code_full", "openid"], &["vso.code", "openid"]).is_empty());
    assert_eq!(missing(&[], &["a", "a"]), ["a"]);
    assert!(missing(&["api://x/Read"], &["api://x/Read"]).is_empty());
    assert_eq!(missing(&["api://x/Read"], &["api://x/read"]), ["api://x/read"]);
}

// ---- granted versus requested ------------------------------------------------------------------

#[test]
fn absent_scope_in_a_token_response_means_as_requested() {
    let g = compare_granted(&["openid", "vso.code"], None).unwrap();
    assert!(g.as_requested);
    assert_eq!(g.granted, ["openid", "vso.code"]);
    assert!(g.missing.is_empty() && g.extra.is_empty());
}

#[test]
fn present_scope_reports_granted_missing_and_extra() {
    let code = format!("{ID}/vso.code");
    let write = format!("{ID}/vso.code_write");
    let work = format!("{ID}/vso.work");
    let g = compare_granted(&["openid", &write, &work], Some(&format!("{code} vso.profile {URI}/vso.build"))).unwrap();
    assert!(!g.as_requested);
    assert_eq!(g.granted.len(), 3);
    assert_eq!(g.missing, [write.clone(), work]);
    assert_eq!(g.extra, [format!("{URI}/vso.build")]);
    // Entra's `.default`: satisfied by any scope of its resource, which is then not extra.
    let g = compare_granted(&[AZURE_DEVOPS_DEFAULT_SCOPE, "offline_access"], Some(&format!("{ID}/user_impersonation")))
        .unwrap();
    assert!(g.missing.is_empty() && g.extra.is_empty(), "{g:?}");
    let g = compare_granted(&[AZURE_DEVOPS_DEFAULT_SCOPE], Some("User.Read")).unwrap();
    assert_eq!(g.missing, [AZURE_DEVOPS_DEFAULT_SCOPE]);
    assert_eq!(g.extra, ["User.Read"]);
    assert!(compare_granted(&["a"], Some("a  b")).is_err());
    assert!(compare_granted(&["a"], Some("")).is_err());
}

// ---- Microsoft Entra rules ---------------------------------------------------------------------

#[test]
fn entra_accepts_one_prefixed_resource_plus_oidc() {
    for ok in [
        vec!["openid", "profile", "email", "offline_access"],
        vec!["openid", AZURE_DEVOPS_DEFAULT_SCOPE, "offline_access"],
        vec![&format!("{ID}/vso.code") as &str, &format!("{URI}/vso.work"), "offline_access"],
        vec!["User.Read", "Mail.Read", "openid"],
        vec!["https://graph.microsoft.com/User.Read", "User.Read"],
        vec!["api://x/Read.All", "api://x/Write"],
    ] {
        assert_eq!(validate_entra_request(&ok), Ok(()), "{ok:?}");
    }
}

#[test]
fn entra_rules_are_enforced() {
    let rule = |r: EntraRule| Err(Error::EntraScopeRule { rule: r.as_str() });
    assert_eq!(validate_entra_request(&["vso.code"]), rule(EntraRule::UnprefixedAzureDevOps));
    assert_eq!(validate_entra_request(&["user_impersonation"]), rule(EntraRule::UnprefixedAzureDevOps));
    assert_eq!(validate_entra_request(&["vso.chat_write"]), rule(EntraRule::UnprefixedAzureDevOps));
    assert_eq!(
        validate_entra_request(&[AZURE_DEVOPS_DEFAULT_SCOPE, &format!("{ID}/vso.code")]),
        rule(EntraRule::DefaultMixed)
    );
    assert_eq!(
        validate_entra_request(&[&format!("{URI}/.default"), &format!("{ID}/vso.code")]),
        rule(EntraRule::DefaultMixed)
    );
    assert_eq!(validate_entra_request(&[&format!("{ID}/vso.code"), "User.Read"]), rule(EntraRule::MultipleResources));
    assert_eq!(validate_entra_request(&["api://a/x", "api://b/x"]), rule(EntraRule::MultipleResources));
    assert!(matches!(validate_entra_request(&[]), Err(Error::InvalidScope { .. })));
    assert!(matches!(validate_entra_request(&["a b"]), Err(Error::InvalidScope { .. })));
}

#[test]
fn entra_analysis_reports_broad_access_without_failing() {
    let ui = format!("{ID}/user_impersonation");
    let a = analyze_entra_request(&["openid", &ui, "vso.code", "User.Read"]);
    assert_eq!(a.broad, [ui.as_str()]);
    let rules: Vec<EntraRule> = a.violations.iter().map(|v| v.rule).collect();
    assert_eq!(rules, [EntraRule::UnprefixedAzureDevOps, EntraRule::MultipleResources]);
    assert!(a.violations.iter().all(|v| v.scope == "vso.code"));
    assert_eq!(a.scopes.len(), 4);
    assert_eq!(analyze_entra_request(&[AZURE_DEVOPS_DEFAULT_SCOPE]).broad, [AZURE_DEVOPS_DEFAULT_SCOPE]);
}

#[test]
fn entra_classifies_resources() {
    let c = |s: &str| classify_entra_scope(s).resource;
    assert_eq!(c("openid"), Resource::Oidc);
    assert_eq!(c("User.Read"), Resource::MicrosoftGraph);
    assert_eq!(c("00000003-0000-0000-c000-000000000000/User.Read"), Resource::MicrosoftGraph);
    assert_eq!(c(&format!("{ID}/vso.code")), Resource::AzureDevOps);
    assert_eq!(c("api://x/Read.All"), Resource::Other);
    assert_eq!(c("https://management.azure.com/user_impersonation"), Resource::Other);
    assert_eq!(c("11111111-2222-3333-4444-555555555555/x"), Resource::Other);
    assert!(classify_entra_scope("https://management.azure.com/user_impersonation").is_broad());
}
