#!/usr/bin/env python3
"""Generate src/core/operations/data.rs: the Azure DevOps REST operation table.

Usage: scripts/gen-ado-operations.py [azure-devops-rest-scopes.json] [azure-devops-scopes.json] [output.rs]
Defaults: ../shared/facts/azure-devops-rest-scopes.json, ../shared/facts/azure-devops-scopes.json
and src/core/operations/data.rs (relative to the repository root). The generated file is
committed; the build never reads the JSON.

The table is compact: path segments are interned once (literals keep their spelling, parameters
their `{name}`), each operation is a method/host byte, a run of u16 segment indices and an index
into the distinct scope lists, whose scopes are indices into the catalog (catalog_data.rs, same
order as azure-devops-scopes.json). Per catalog scope, a few plain-language examples of what it
unlocks are derived here from the method and path of the operations that list it ("DELETE
.../git/repositories/{repositoryId}" -> "delete repositories"). The script checks the facts
(count, known scopes, unique method+host+path) and refuses to write on any mismatch.
"""

import json
import os
import re
import sys

from rust_literal import rust_str

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACTS = os.path.join(ROOT, "..", "shared", "facts")
DEFAULT_OPS = os.path.join(FACTS, "azure-devops-rest-scopes.json")
DEFAULT_SCOPES = os.path.join(FACTS, "azure-devops-scopes.json")
DEFAULT_OUT = os.path.join(ROOT, "src", "core", "operations", "data.rs")

EXPECTED_COUNT = 1005
METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"]
NONE = 0xFF
EXAMPLES_PER_SCOPE = 4
MAX_SEGMENTS = 24  # src/core/operations/table.rs

# What a method does to the resource its last literal segment names, most harmful first.
VERBS = {"DELETE": (0, "delete"), "POST": (1, "create"), "PUT": (2, "update"), "PATCH": (2, "update"),
         "GET": (3, "read"), "HEAD": (3, "read")}
# Nouns whose POST is better said another way (checked against the table below: each must occur).
POST_VERBS = {"builds": "queue", "runs": "run", "pushes": "push", "wiql": "run", "query": "run",
              "subscriptionquery": "run", "notificationsquery": "run", "pullrequestquery": "run",
              "publishersquery": "run", "sendmail": "send", "codesearchresults": "search",
              "wikisearchresults": "search", "workitemsearchresults": "search",
              "packagesearchresults": "search", "merges": "run", "reverts": "create", "import": "run",
              "export": "run", "evaluations": "run"}
NOUNS = {"runs": "pipelines", "pushes": "code", "wiql": "work item queries", "query": "queries",
         "sendmail": "mail about work items", "codesearchresults": "code", "wikisearchresults": "wikis",
         "workitemsearchresults": "work items", "packagesearchresults": "packages",
         "categorizedteams": "teams", "subjectlookup": "users and groups", "subjectquery": "users and groups"}

# The resources people know by name: their phrases come first among a scope's examples.
HEADLINE = ["repositories", "pull requests", "builds", "work items", "pipelines", "releases", "projects",
            "wikis", "feeds", "packages", "commits", "code", "teams", "dashboards", "definitions", "pages",
            "environments", "variable groups", "endpoints", "groups", "queries"]


def headline(text):
    noun = text.split(" ", 1)[-1]
    return HEADLINE.index(noun) if noun in HEADLINE else len(HEADLINE)

# Words the concatenated path segments are made of ("workitemtypes" -> "work item types").
WORDS = """access account accounts activity agent agents annotated approvals artifact artifacts attachments
audit authorized availability avatar avatars backlog backlogs badge batch behaviors blobs board boards bugs
build builds by capacities capacity card categories categorized category changes changeset changesets charts chart cherry
classification client clone cloud clouds code column columns comments commit commits configuration
configurations consumers content contents control controls controllers coverage dashboards days definitions
delete deleted delivery deployment deployments descriptors detail details diagnostics discussions document
download elastic endpoint endpoints entitlements entitlement entries entry environment environments evaluation
evaluations event events execution export extensions extension failure favorites feed feeds field fields file
files folders fork forks gates general global group groups health history icons identities images import
installed items item iteration iterations kubernetes labels latest layout leases likes link links list lists
log logs manual member members membership memberships merge merges message metadata metric metrics migration
moves my name nodes notification notifications off operation operations options order package packages page
pages parents path pats permission permissions personal picks pipeline pipelines plans point points policies
pools preview principal principals process processes profiles project projects properties provenance provider
proxy publishers pull pushes queries query queue queues reactions readme recent recycle records relation
release releases report repositories request requests resources resource result results retention revisions
revocation revocations reverts reviewers role rows rules run runs schema search security sendmail service
session settings share shelvesets similar source sources stages state states statistics stats status statuses
storage store streams subject subjects subscriber subscribers subscription subscriptions suggestions suite
suites summary sync system tags tag task targets team teams templates temp test testcases tests timeline
tokens trees trend type types updates upload upstreaming usage user users values variable variables version
versions views webhooks widget widgets wiki wikis work yaml bin interventions definitions types""".split()
WORD_SET = set(WORDS)


def fail(msg):
    sys.stderr.write("gen-ado-operations: " + msg + "\n")
    sys.exit(1)



def words(segment):
    """Splits a path literal into words: camelCase first, then the vocabulary (longest first)."""
    out = []
    for part in re.sub(r"([a-z])([A-Z])", r"\1 \2", segment).lower().split():
        best = {0: []}
        for i in range(1, len(part) + 1):
            for j in range(i):
                if j in best and part[j:i] in WORD_SET:
                    cand = best[j] + [part[j:i]]
                    if i not in best or len(cand) < len(best[i]):
                        best[i] = cand
        out.extend(best.get(len(part), [part]))
    return " ".join(out)


def example(method, segments):
    """The plain-language phrase for one operation, with its harm rank."""
    literals = [s for s in segments if "{" not in s and s != "_apis" and s]
    if not literals:
        return None
    noun = literals[-1]
    rank, verb = VERBS[method]
    if method == "POST" and noun.lower() in POST_VERBS:
        verb = POST_VERBS[noun.lower()]
    text = NOUNS.get(noun.lower()) or words(noun)
    return rank, verb + " " + text


def main():
    ops_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OPS
    scopes_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_SCOPES
    dst = sys.argv[3] if len(sys.argv) > 3 else DEFAULT_OUT
    with open(ops_path, encoding="utf-8") as f:
        facts = json.load(f)
    with open(scopes_path, encoding="utf-8") as f:
        catalog = json.load(f)

    names = [s["scope"] for s in catalog["scopes"]]
    index = {n: i for i, n in enumerate(names)}
    full = {index[s["scope"]] for s in catalog["scopes"] if s.get("grants_full_access")}
    includes = [[index[x] for x in s["includes"]] for s in catalog["scopes"]]

    ops = facts["operations"]
    if len(ops) != EXPECTED_COUNT:
        fail("expected %d operations, found %d" % (EXPECTED_COUNT, len(ops)))
    hosts = []
    seen = set()
    rows = []
    for o in ops:
        method = o["method"]
        if method not in METHODS:
            fail("unknown method %s" % method)
        if o["host"] not in hosts:
            hosts.append(o["host"])
        path = o["path"].rstrip("/")
        if not path.startswith("/"):
            fail("path %s does not start with /" % path)
        segments = path.split("/")[1:]
        for s in segments:
            if not s:
                fail("empty segment in %s" % path)
            if "{" in s and not re.fullmatch(r"[$@]?\{[A-Za-z0-9]+\}", s):
                fail("unsupported parameter segment %s" % s)
        key = (method, o["host"], path.lower())
        if key in seen:
            fail("duplicate operation %s %s %s" % key)
        seen.add(key)
        for s in o["scopes"]:
            if s not in index:
                fail("%s %s lists unknown scope %s" % (method, path, s))
        if len(o["scopes"]) > 3:
            fail("more than three alternative scopes on %s %s" % (method, path))
        rows.append((o["host"], path, method, segments, [index[s] for s in o["scopes"]]))
    if len(hosts) > 16:
        fail("too many hosts for four bits")
    # Sorted by host, path and method: neighbours share segments, which compresses well.
    rows.sort(key=lambda r: (r[0], r[1].lower(), METHODS.index(r[2])))

    segs = []
    seg_index = {}
    scope_sets = []
    path_flat = []
    path_start = []
    shared = []
    method_host = []
    scopes_of = []
    previous = []
    for host, path, method, segments, scopes in rows:
        # Sorted paths share their first segments with the previous one: only the rest is stored.
        k = 0
        while k < min(len(previous), len(segments)) and previous[k] == segments[k]:
            k += 1
        shared.append(k)
        previous = segments
        path_start.append(len(path_flat))
        for s in segments[k:]:
            if s not in seg_index:
                seg_index[s] = len(segs)
                segs.append(s)
            path_flat.append(seg_index[s])
        method_host.append(METHODS.index(method) << 4 | hosts.index(host))
        key = tuple(scopes)
        if key not in scope_sets:
            scope_sets.append(key)
        scopes_of.append(scope_sets.index(key))
    path_start.append(len(path_flat))
    if len(segs) >= 0xFFFF or len(scope_sets) > 255 or max(len(r[3]) for r in rows) > MAX_SEGMENTS:
        fail("the table outgrew its index types")

    # Examples: per scope, the operations that list it; else those of the scopes it includes.
    # An operation that several scopes grant (service-hook consumers: vso.work, vso.build or
    # vso.code) says little about each: those come after the operations only this scope grants.
    direct = {i: [] for i in range(len(names))}
    for host, path, method, segments, scopes in rows:
        ex = example(method, segments)
        if ex:
            for s in scopes:
                direct[s].append((len(scopes) > 1, len(segments)) + ex)

    def pick(candidates):
        """Up to four distinct phrases, the most harmful kind first, one per verb before repeats;
        within a kind, what only this scope grants first, then the resources people know by name
        (HEADLINE), then the most frequent."""
        freq = {}
        for c in candidates:
            freq[c[3]] = freq.get(c[3], 0) + 1
        order = sorted(range(len(candidates)), key=lambda k: (candidates[k][0], headline(candidates[k][3]), -freq[candidates[k][3]], k))
        by_rank = {}
        for k in order:
            _, _, rank, text = candidates[k]
            lst = by_rank.setdefault(rank, [])
            if text not in lst:
                lst.append(text)
        out = []
        while len(out) < EXAMPLES_PER_SCOPE and any(by_rank.values()):
            for rank in sorted(by_rank):
                if by_rank[rank] and len(out) < EXAMPLES_PER_SCOPE:
                    text = by_rank[rank].pop(0)
                    if text not in out:
                        out.append(text)
        return out

    examples = []
    for i in range(len(names)):
        if i in full:
            # Full access: the most harmful operation of each area, across the whole table.
            cands = [ex for j in range(len(names)) if j != i for ex in direct[j] if ex[2] <= 1]
            examples.append(pick(cands))
            continue
        cands = list(direct[i])
        todo, seen_s = list(includes[i]), {i}
        while len(pick(cands)) < EXAMPLES_PER_SCOPE and todo:
            j = todo.pop(0)
            if j in seen_s:
                continue
            seen_s.add(j)
            cands += direct[j]
            todo += includes[j]
        examples.append(pick(cands))

    out = []
    w = out.append
    w("// @generated by scripts/gen-ado-operations.py from azure-devops-rest-scopes.json. Do not edit.")
    w("// Source: " + facts["source"].replace("\n", " "))
    w("//! The Azure DevOps REST operations as static data: interned path segments, per operation a")
    w("//! method/host byte, its segments and its scope list (catalog indices, any one grants it).")
    w("")
    w("/// Number of operations.")
    w("pub(super) const LEN: usize = %d;" % len(rows))
    w("")
    w("/// Methods, indexed by the high nibble of `METHOD_HOST`.")
    w("pub(super) static METHODS: [&str; %d] = [%s];" % (len(METHODS), ", ".join(rust_str(m) for m in METHODS)))
    w("")
    w("/// Service hosts as the specs write them, indexed by the low nibble of `METHOD_HOST`.")
    w("pub(super) static HOSTS: [&str; %d] = [" % len(hosts))
    for h in hosts:
        w("    %s," % rust_str(h))
    w("];")
    w("")
    w("/// Path segments, one after the other: literals as spelt in the specs (matched ignoring ASCII")
    w("/// case), parameters as `{name}`, optionally after a literal `$` or `@`. One text and its end")
    w("/// offsets rather than an array of `&str`: the pointers would cost more than the text.")
    text_all = "".join(segs)
    ends, at = [], 0
    for seg in segs:
        at += len(seg)
        ends.append(at)
    if at > 0xFFFF:
        fail("segment text outgrew u16 offsets")
    w("pub(super) const SEGMENT_TEXT: &str = %s;" % rust_str(text_all))
    w("/// Where each segment ends in `SEGMENT_TEXT` (it starts where the previous one ends).")
    w("pub(super) static SEGMENT_END: [u16; %d] = [%s];" % (len(ends), ", ".join(str(e) for e in ends)))
    w("")
    w("/// Per operation: method index << 4 | host index.")
    w("pub(super) static METHOD_HOST: [u8; LEN] = [%s];" % ", ".join(str(x) for x in method_host))
    w("")
    w("/// Per operation: how many leading segments its path shares with the previous operation's.")
    w("pub(super) static SHARED: [u8; LEN] = [%s];" % ", ".join(str(x) for x in shared))
    w("")
    w("/// Where each operation's own segments (after the shared ones) start in `PATH`; the last")
    w("/// entry ends the table.")
    w("pub(super) static PATH_START: [u16; LEN + 1] = [%s];" % ", ".join(str(x) for x in path_start))
    w("")
    w("/// Segment indices of every operation's own segments, one after the other.")
    w("pub(super) static PATH: [u16; %d] = [%s];" % (len(path_flat), ", ".join(str(x) for x in path_flat)))
    w("")
    w("/// Per operation: index into `SCOPE_SETS`.")
    w("pub(super) static SCOPES_OF: [u8; LEN] = [%s];" % ", ".join(str(x) for x in scopes_of))
    w("")
    w("/// Marks an unused slot of a scope list.")
    w("pub(super) const NONE: u8 = %d;" % NONE)
    w("")
    w("/// The distinct scope lists: catalog indices in spec order, any one of which grants the call.")
    w("pub(super) static SCOPE_SETS: [[u8; 3]; %d] = [" % len(scope_sets))
    for s in scope_sets:
        padded = list(s) + [NONE] * (3 - len(s))
        w("    [%s]," % ", ".join(str(x) for x in padded))
    w("];")
    w("")
    w("/// Per catalog scope: what it unlocks, in a few words taken from the operations it grants,")
    w("/// phrases separated by `|`.")
    w("pub(super) static EXAMPLES: [&str; %d] = [" % len(names))
    for name, ex in zip(names, examples):
        if any("|" in e for e in ex):
            fail("an example holds the separator")
        w("    %s, // %s" % (rust_str("|".join(ex)), name))
    w("];")
    text = "\n".join(out) + "\n"
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stderr.write("gen-ado-operations: %d operations, %d hosts, %d segments, %d path entries, %d scope lists -> %s\n"
                     % (len(rows), len(hosts), len(segs), len(path_flat), len(scope_sets), dst))


if __name__ == "__main__":
    main()
