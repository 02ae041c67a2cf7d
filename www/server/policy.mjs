// IAM-policy-style authorization of `execute-api:Invoke`, as API Gateway applies a caller's
// identity policy to a method with AWS_IAM authorization: an explicit Deny wins, then an
// Allow, and otherwise the request is implicitly denied.

export const INVOKE = 'execute-api:Invoke';

/**
 * The ARN API Gateway authorizes a request against:
 * arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{resource path without the leading /}.
 */
export function resourceArn(config, method, resourcePath) {
  return `${config.arnPrefix}/${config.stage}/${method}/${resourcePath.replace(/^\//, '')}`;
}

/**
 * Whether `text` matches the IAM wildcard `pattern`: `*` any run of characters, `?` exactly
 * one, everything else itself. Greedy, and on a mismatch it goes back only to the last `*`
 * (an earlier star never needs to take more: the last one can), so the work is at most
 * (text length + 1) x (longest run between stars + 1) + pattern length steps: linear in the
 * text, which is the request's path. A regular expression with one `.*` a star backtracks
 * over every way of splitting the text among the stars instead (seconds for 2,500 colons).
 * config.mjs bounds the pattern's length; Node's header limit (server.mjs) bounds the text's.
 */
export function wildcardMatch(pattern, text) {
  let p = 0;
  let t = 0;
  let star = -1; // the pattern index of the last `*` seen
  let resume = 0; // where in the text that star's run ends so far
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function matchesAny(patterns, value, ignoreCase) {
  const subject = ignoreCase ? value.toLowerCase() : value;
  return patterns.some((pattern) => wildcardMatch(ignoreCase ? pattern.toLowerCase() : pattern, subject));
}

/** 'allow', 'explicit-deny' or 'implicit-deny' for `action` on `resource` under `policy`. */
export function evaluatePolicy(policy, action, resource) {
  let allowed = false;
  for (const statement of policy.statements) {
    // Action names are case-insensitive in IAM; resource ARNs are not.
    const actionMatches = matchesAny(statement.actions, action, true) !== statement.notAction;
    const resourceMatches = matchesAny(statement.resources, resource, false) !== statement.notResource;
    if (!actionMatches || !resourceMatches) continue;
    if (statement.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** The resource ARN as API Gateway prints it in a denial: the account masked to its last four digits. */
export function maskAccount(arn) {
  return arn.replace(/^(arn:aws[a-z-]*:execute-api:[^:]*:)(\d{8})(\d{4}):/, (_, head, hidden, last) => `${head}${'*'.repeat(hidden.length)}${last}:`);
}

/** API Gateway's message for a denied invocation. */
export function denialMessage(userArn, resource, outcome) {
  const base = `User: ${userArn} is not authorized to perform: ${INVOKE} on resource: ${maskAccount(resource)}`;
  return outcome === 'explicit-deny'
    ? `${base} with an explicit deny in an identity-based policy`
    : `${base} because no identity-based policy allows the ${INVOKE} action`;
}
