//! The region and service an endpoint host names, for callers that do not pass them.
//!
//! Inference is a convenience in front of signing, never a silent default: a host that does
//! not name its region or service yields `None` for that part, and [`resolve_scope`] turns
//! that into an error that says what to pass. (aws4 signs with region `us-east-1` and an
//! empty service in that case; `tests/pitfalls.rs` p15 pins that this signer does not.)

use crate::error::{Error, ErrorCode, Result};
use crate::text::{all_digits, split_on};

/// What a host says about the credential scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InferredScope {
    pub region: Option<String>,
    pub service: Option<String>,
}

/// Services whose endpoint (`<name>.amazonaws.com`) has no region, and the region their
/// signature is scoped to.
const GLOBAL_ENDPOINTS: &[(&str, &str)] = &[
    ("iam", "us-east-1"),
    ("sts", "us-east-1"),
    ("s3", "us-east-1"),
    ("s3-external-1", "us-east-1"),
    ("route53", "us-east-1"),
    ("cloudfront", "us-east-1"),
    ("organizations", "us-east-1"),
    ("waf", "us-east-1"),
    ("shield", "us-east-1"),
    ("budgets", "us-east-1"),
    ("ce", "us-east-1"),
    ("globalaccelerator", "us-west-2"),
];

/// Endpoint prefixes whose signing name differs from the prefix.
const SIGNING_NAMES: &[(&str, &str)] = &[
    ("email", "ses"),
    ("s3-accesspoint", "s3"),
    ("s3-control", "s3"),
    ("s3-external-1", "s3"),
    ("appsync-api", "appsync"),
    ("lambda-url", "lambda"),
];

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `ap-southeast-2` ...
fn is_region(label: &str) -> bool {
    // Two lowercase letters, one or more lowercase words, a number; separated by `-`.
    let (mut parts, mut words_ok, mut last) = (0, true, "");
    for part in split_on(label, b'-') {
        if parts > 0 {
            words_ok &= !last.is_empty() && last.bytes().all(|b| b.is_ascii_lowercase());
        }
        words_ok &= parts > 0 || part.len() == 2;
        (parts, last) = (parts + 1, part);
    }
    parts >= 3 && words_ok && !last.is_empty() && all_digits(last.as_bytes())
}

/// The labels of a host name, in order.
fn labels(host: &str) -> Vec<&str> {
    let mut labels = Vec::with_capacity(8);
    for label in split_on(host, b'.') {
        labels.push(label);
    }
    labels
}

/// A region as AWS names them, direction and all (`us-gov-west-1`, `ap-southeast-2`,
/// `ca-central-1`): what [`named_region`] trusts a label to be, where [`is_region`] reads a
/// bucket named `my-bucket-1` as one too.
fn is_aws_region(label: &str) -> bool {
    const DIRECTIONS: &[&str] =
        &["east", "west", "north", "south", "central", "northeast", "northwest", "southeast", "southwest"];
    // The part before the number (found byte by byte: `rsplit` costs the size-built binary 0.5 KB).
    let bytes = label.as_bytes();
    let dash = |end: usize| bytes[..end].iter().rposition(|&b| b == b'-');
    let Some(end) = dash(bytes.len()) else { return false };
    let start = dash(end).map_or(0, |at| at + 1);
    is_region(label) && DIRECTIONS.iter().any(|d| d.as_bytes() == &bytes[start..end])
}

fn signing_name(prefix: &str) -> &str {
    let prefix = prefix.strip_suffix("-fips").unwrap_or(prefix);
    SIGNING_NAMES.iter().find(|(p, _)| *p == prefix).map_or(prefix, |(_, name)| name)
}

/// Reads the region and service from an endpoint host (a port is ignored). Covers
/// `*.amazonaws.com` and `*.amazonaws.com.cn` in their regional, dualstack, FIPS, legacy S3
/// (`s3-us-west-2`) and global forms, `*.api.aws`, Lambda function URLs (`*.on.aws`) and
/// Cloudflare R2. Anything else infers nothing.
pub fn infer_scope(host: &str) -> InferredScope {
    let host = normalized(host);
    let named = infer(&host);
    InferredScope { region: named.region.map(str::to_owned), service: named.service.map(str::to_owned) }
}

/// The region an AWS endpoint host names in one of its labels (`sts.us-east-1.amazonaws.com`,
/// `s3-us-west-2.amazonaws.com`, `<id>.lambda-url.eu-west-1.on.aws`), which a signature for it
/// must be scoped to. `None` for a host that names none, a global endpoint (`sts.amazonaws.com`,
/// `bucket.s3.amazonaws.com`: a bucket in any region) and R2 included.
pub fn named_region(host: &str) -> Option<String> {
    infer(&normalized(host)).named_region().map(str::to_owned)
}

/// What a host says about the credential scope, borrowed from the host (or a static table):
/// signing checks the region of every host it signs for, so reading it allocates nothing
/// but the host's lowercase copy and its list of labels.
#[derive(Default)]
struct Named<'h> {
    region: Option<&'h str>,
    service: Option<&'h str>,
    /// Whether the region is named by the host rather than a global endpoint's default.
    named: bool,
}

impl<'h> Named<'h> {
    /// A region and service a host names; the region is named if it is one AWS could have.
    fn found(region: Option<&'h str>, service: Option<&'h str>) -> Self {
        Self { region, service, named: region.is_some_and(is_aws_region) }
    }

    fn named_region(&self) -> Option<&'h str> {
        self.region.filter(|_| self.named)
    }
}

/// The host as [`infer`] reads it: trimmed, lowercase, without a port.
fn normalized(host: &str) -> String {
    let host = host.trim_ascii();
    let colon = host.bytes().rposition(|b| b == b':');
    let (name, port) = host.as_bytes().split_at(colon.unwrap_or(host.len()));
    match colon {
        Some(at) if !name.ends_with(b"]") && all_digits(&port[1..]) => host[..at].to_ascii_lowercase(),
        _ => host.to_ascii_lowercase(),
    }
}

/// [`infer_scope`] of a [`normalized`] host.
fn infer(host: &str) -> Named<'_> {
    let found = Named::found;
    if host.ends_with(".r2.cloudflarestorage.com") {
        return Named { region: Some("auto"), service: Some("s3"), named: false };
    }
    let (labels, china) = if let Some(rest) = host.strip_suffix(".amazonaws.com.cn") {
        (rest, true)
    } else if let Some(rest) = host.strip_suffix(".amazonaws.com").or_else(|| host.strip_suffix(".api.aws")) {
        (rest, false)
    } else if let Some(rest) = host.strip_suffix(".on.aws") {
        // <url-id>.lambda-url.<region>.on.aws
        return match labels(rest).as_slice() {
            [.., prefix, region] if is_region(region) => found(Some(region), Some(signing_name(prefix))),
            _ => Named::default(),
        };
    } else {
        return Named::default();
    };
    let labels = self::labels(labels);

    // OpenSearch and OpenSearch Serverless put the region before the service:
    // search-<domain>.<region>.es.amazonaws.com, <id>.<region>.aoss.amazonaws.com.
    if let [.., region, service @ ("es" | "aoss")] = labels.as_slice() {
        if is_region(region) {
            return found(Some(region), Some(service));
        }
    }
    if let Some(r) = labels.iter().rposition(|l| is_region(l)) {
        // The service is the label before the region, `dualstack` aside.
        let (mut before, mut prefix) = (0, None);
        for label in labels[..r].iter().filter(|l| **l != "dualstack") {
            (before, prefix) = (before + 1, Some(*label));
        }
        // <account>-ats.iot.<region> and data-ats.iot.<region> are the IoT data plane, which
        // signs as iotdata over HTTPS; iot.<region> alone is the control plane (iot).
        let service = match prefix {
            Some("iot") if before >= 2 => Some("iotdata"),
            Some(prefix) => Some(signing_name(prefix)),
            None => None,
        };
        let scope = found(Some(labels[r]), service);
        // A region-like label first is a bucket's name (my-bucket-1.s3.amazonaws.com).
        return Named { named: scope.named && before > 0, ..scope };
    }
    let Some(last) = labels.last().copied() else { return Named::default() };
    // Legacy S3 endpoints: s3-us-west-2.amazonaws.com, bucket.s3-eu-west-1.amazonaws.com.
    if let Some(region) = last.strip_prefix("s3-").filter(|r| is_region(r)) {
        return found(Some(region), Some("s3"));
    }
    // Transfer Acceleration runs in the bucket's region, which the host does not name.
    if last.starts_with("s3-accelerate") || labels.contains(&"s3-accelerate") {
        return found(None, Some("s3"));
    }
    let global = GLOBAL_ENDPOINTS.iter().find(|(name, _)| *name == last).map(|(_, region)| *region);
    let region = match (global, china) {
        (Some(_), true) => Some("cn-north-1"),
        (region, _) => region,
    };
    Named { region, service: Some(signing_name(last)), named: false }
}

/// The region and service to sign with: the ones given, else the ones the host names.
/// Errors say which could not be determined and what to pass.
pub fn resolve_scope(host: &str, region: Option<&str>, service: Option<&str>) -> Result<(String, String)> {
    let given = |value: Option<&str>| value.filter(|v| !v.is_empty()).map(str::to_owned);
    let (mut region_out, mut service_out) = (given(region), given(service));
    if region_out.is_none() || service_out.is_none() {
        let inferred = infer_scope(host);
        region_out = region_out.or(inferred.region);
        service_out = service_out.or(inferred.service);
    }
    let unknown = |code, what, example| {
        Error::fill(
            code,
            "no {} was given and the host '{}' does not name one; pass the {} explicitly (for example '{}'). Only AWS endpoint hosts such as <api-id>.execute-api.<region>.amazonaws.com name their region and service",
            &[what, host, what, example],
        )
    };
    match (region_out, service_out) {
        (Some(region), Some(service)) => Ok((region, service)),
        (None, _) => Err(unknown(ErrorCode::MissingRegion, "region", "us-east-1")),
        (_, None) => Err(unknown(ErrorCode::MissingService, "service", "execute-api")),
    }
}

/// An explicit region must be the one the host names, if it names one
/// ([`named_region`]): AWS refuses a signature scoped to another region.
pub fn check_region_of_host(host: &str, region: &str) -> Result<()> {
    let normalized = normalized(host);
    match infer(&normalized).named_region() {
        Some(named) if !named.eq_ignore_ascii_case(region) => Err(Error::fill(
            ErrorCode::ConflictingRegion,
            "the region '{}' is not the region the host '{}' names, '{}', and AWS would refuse the signature; pass region '{}' or leave it out",
            &[region, host, named, named],
        )),
        _ => Ok(()),
    }
}
