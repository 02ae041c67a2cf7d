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

/** An IAM wildcard pattern (`*` any run of characters, `?` one character) as a RegExp. */
function wildcard(pattern, flags = '') {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

function matchesAny(patterns, value, flags) {
  return patterns.some((pattern) => wildcard(pattern, flags).test(value));
}

/** 'allow', 'explicit-deny' or 'implicit-deny' for `action` on `resource` under `policy`. */
export function evaluatePolicy(policy, action, resource) {
  let allowed = false;
  for (const statement of policy.statements) {
    // Action names are case-insensitive in IAM; resource ARNs are not.
    const actionMatches = matchesAny(statement.actions, action, 'i') !== statement.notAction;
    const resourceMatches = matchesAny(statement.resources, resource) !== statement.notResource;
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
