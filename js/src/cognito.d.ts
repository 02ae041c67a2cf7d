// Types of sigv4-wasm/cognito: Amazon Cognito for clients, over the core's math (src/cognito/).
// Every runtime: its own binary, inlined (Node, Deno, Bun, browsers; the wasm2js translation
// where WebAssembly is refused) or translated (React Native).
import type { Credentials, CredentialsProvider } from './index.js';
export { SigV4Error, SigV4ErrorCode, getBackend } from './index.js';
/** Why this module runs its wasm2js translation (WebAssembly missing or refused), or undefined when it runs wasm. */
export declare function fallbackReason(): string | undefined;

/** The ChallengeParameters of PASSWORD_VERIFIER, as InitiateAuth returns them. */
export interface PasswordVerifierParameters {
  USER_ID_FOR_SRP: string;
  SRP_B: string;
  SALT: string;
  SECRET_BLOCK: string;
  [name: string]: string;
}

/**
 * A modular exponentiation from outside the binary: base^exponent mod divisor, all hex
 * (Amplify's `computeModPow` from @aws-amplify/react-native has this shape). The exponent is
 * secret (a, x, a + u·x). Each answer is checked to be in [1, N) (INVALID_SRP_PARAMETER).
 */
export interface ModPowRequest {
  base: string;
  exponent: string;
  divisor: string;
}
export type ModPow = (request: ModPowRequest) => string | Promise<string>;

/**
 * SRP_A for the secret exponent's bytes (128 from a CSPRNG). With a modPow (or, in React
 * Native, the BigInt one the entry supplies), g^a is that function's; a Promise when it
 * answers with one.
 */
export declare function srpA(secret: Uint8Array, options: { modPow: (request: ModPowRequest) => Promise<string> }): Promise<string>;
export declare function srpA(secret: Uint8Array, options?: { modPow?: (request: ModPowRequest) => string }): string;
export declare function srpA(secret: Uint8Array, options?: { modPow?: ModPow }): string | Promise<string>;
/** The options of passwordClaim. `srpA`: what srpA returned, so that g^a is not computed again. */
export interface PasswordClaimOptions {
  userPoolId: string;
  password: string;
  challengeParameters: PasswordVerifierParameters;
  timestamp: string;
  srpA?: string;
}
/** PASSWORD_CLAIM_SIGNATURE for the same secret bytes as srpA (the SRP session key never leaves the binary). */
export declare function passwordClaim(
  secret: Uint8Array,
  options: PasswordClaimOptions & { modPow: (request: ModPowRequest) => Promise<string> },
): Promise<{ signature: string }>;
export declare function passwordClaim(secret: Uint8Array, options: PasswordClaimOptions & { modPow?: (request: ModPowRequest) => string }): { signature: string };
export declare function passwordClaim(
  secret: Uint8Array,
  options: PasswordClaimOptions & { modPow?: ModPow },
): { signature: string } | Promise<{ signature: string }>;
/** SECRET_HASH = Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export declare function secretHash(clientSecret: string, username: string, clientId: string): string;
/** TIMESTAMP, e.g. 'Tue Jan 1 06:06:09 UTC 2019', for a Date or ms since 1970 (default now). */
export declare function srpTimestamp(time?: Date | number): string;
/** A PKCE pair: a verifier from 32 random bytes (crypto.getRandomValues, or the bytes given) and its S256 challenge. */
export declare function pkce(random?: Uint8Array): { codeVerifier: string; codeChallenge: string; codeChallengeMethod: 'S256' };
/** A PKCE code verifier (43 characters from 32 random bytes, or the bytes given). */
export declare function pkceVerifier(random?: Uint8Array): string;
/** The PKCE S256 code challenge of a verifier. */
export declare function pkceChallenge(codeVerifier: string): string;
/** A JWT's header and claims, NOT verified; exp and iat in seconds. */
export declare function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, any>; exp?: number; iat?: number };
/** Whether a token has expired or will within toleranceMs (default 5000) at nowMs (default now). */
export declare function isTokenExpired(token: string, nowMs?: number, toleranceMs?: number): boolean;

/** What every call takes: the app client, and how to send. */
export interface UserPoolClient {
  userPoolId: string;
  clientId: string;
  /** For app clients with a secret: SECRET_HASH is added. */
  clientSecret?: string;
  clientMetadata?: Record<string, string>;
  /** The fetch to send with (default: the global fetch). */
  fetch?: (input: any, init?: any) => Promise<any>;
  /** Send here instead of https://cognito-idp.<region>.amazonaws.com/ (a local stand-in). */
  endpoint?: string;
}

/** InitiateAuth's and RespondToAuthChallenge's answer. */
export interface AuthAnswer {
  AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken?: string; ExpiresIn: number; TokenType: string };
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

export declare function initiateAuth(options: UserPoolClient & { authFlow: string; authParameters: Record<string, string> }): Promise<AuthAnswer>;
export declare function respondToAuthChallenge(
  options: UserPoolClient & { challengeName: string; challengeResponses: Record<string, string>; session?: string },
): Promise<AuthAnswer>;
export declare function signInWithPassword(options: UserPoolClient & { username: string; password: string }): Promise<AuthAnswer>;
export declare function signInWithSrp(
  options: UserPoolClient & { username: string; password: string; now?: () => number; clockOffsetMs?: number; random?: (n: number) => Uint8Array; modPow?: ModPow },
): Promise<AuthAnswer>;
/** REFRESH_TOKEN_AUTH; with clientSecret, username is the internal one (sub / cognito:username). */
export declare function refreshTokens(options: UserPoolClient & { refreshToken: string; username?: string }): Promise<AuthAnswer>;

/** A credentials provider for AwsClient: GetId once, then GetCredentialsForIdentity at each call. */
export declare function identityPoolCredentials(options: {
  identityPoolId: string;
  /** A user pool ID token (or a function returning one); its iss is the Logins key. Omit for guest access. */
  idToken?: string | (() => string | Promise<string>);
  logins?: Record<string, string>;
  identityId?: string;
  customRoleArn?: string;
  fetch?: (input: any, init?: any) => Promise<any>;
  endpoint?: string;
}): CredentialsProvider;

// ---------------------------------------------------------------------------------------------
// OAuth 2.0: a user pool domain's /oauth2/authorize and /oauth2/token

/** The hosted login's URL: `<domain>/oauth2/authorize?response_type=code&client_id=...&state=...&code_challenge=...`. */
export declare function authorizeUrl(options: {
  /** The user pool domain: `my-app.auth.us-east-1.amazoncognito.com` or `https://auth.example.com`. */
  domain: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated or a list: `['openid', 'email']`. */
  scope?: string | string[];
  /** A random value kept by the app and compared when the redirect comes back (CSRF). */
  state: string;
  /** pkce().codeChallenge (S256); keep its codeVerifier for exchangeCode. */
  codeChallenge?: string;
  responseType?: 'code' | 'token';
  identityProvider?: string;
  nonce?: string;
}): string;

/** What the token endpoint answered. */
export interface OAuthTokens {
  accessToken: string;
  idToken?: string;
  /** Only from the authorization code grant: Cognito's refresh grant keeps the one you have. */
  refreshToken?: string;
  tokenType: string;
  /** Seconds. */
  expiresIn: number;
  scope?: string;
}

/** How to reach the token endpoint and authenticate the app client. */
export interface TokenEndpointClient {
  /** The user pool domain (the endpoint is `<domain>/oauth2/token`), or give tokenEndpoint. */
  domain?: string;
  tokenEndpoint?: string;
  clientId: string;
  /** A confidential client's secret; omit for a public client (client_id in the body). */
  clientSecret?: string;
  /** How a secret is sent: HTTP Basic (default) or client_secret in the body. */
  clientAuth?: 'basic' | 'body';
  fetch?: (input: any, init?: any) => Promise<any>;
}

/** The authorization code grant (with the PKCE verifier of the authorize request). Rejects with OAUTH_ERROR (`oauthError`). */
export declare function exchangeCode(options: TokenEndpointClient & { code: string; redirectUri: string; codeVerifier?: string }): Promise<OAuthTokens>;
/** The refresh token grant. Rejects with OAUTH_ERROR (`oauthError`). */
export declare function refreshWithToken(options: TokenEndpointClient & { refreshToken: string; scope?: string | string[] }): Promise<OAuthTokens>;
/** The client credentials grant (app clients with a secret). Rejects with OAUTH_ERROR (`oauthError`). */
export declare function clientCredentials(options: TokenEndpointClient & { clientSecret: string; scope?: string | string[] }): Promise<OAuthTokens>;

// ---------------------------------------------------------------------------------------------
// STS: providers of temporary credentials, for AwsClient's `credentials` or cacheCredentials

/** What the STS providers resolve to. */
export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** AssumeRole and AssumeRoleWithWebIdentity: the session's ARN (not enumerable). */
  readonly assumedRoleArn?: string;
}
/** A provider of STS credentials: each call asks STS (wrap it in cacheCredentials, or give it to AwsClient, which does). */
export type StsCredentialsProvider = () => Promise<StsCredentials>;

/** Where STS is and how to send. */
export interface StsClient {
  /** The STS region (default us-east-1), for the endpoint and the signature. */
  region?: string;
  /** Send here instead of https://sts.<region>.amazonaws.com/ (a VPC endpoint, a local stand-in). */
  endpoint?: string;
  fetch?: (input: any, init?: any) => Promise<any>;
  /** The clock to sign at (ms since 1970; default Date.now). */
  now?: () => number;
  durationSeconds?: number;
  /** A session policy: JSON text or an object. */
  policy?: string | Record<string, unknown>;
  policyArns?: string[];
}

/** MFA: the device's ARN and its current code (a function is asked again at every refresh: a code is good once). */
export interface StsMfa {
  serialNumber?: string;
  tokenCode?: string | (() => string | Promise<string>);
}

/** AssumeRole, signed with `credentials`. Rejects with STS_ERROR (`stsCode`). */
export declare function assumeRole(options: StsClient & StsMfa & {
  credentials: Credentials | CredentialsProvider;
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
}): StsCredentialsProvider;
/** GetSessionToken, signed with an IAM user's long-term `credentials` (with MFA, for APIs that require it). */
export declare function getSessionToken(options: StsClient & StsMfa & { credentials: Credentials | CredentialsProvider }): StsCredentialsProvider;
/** AssumeRoleWithWebIdentity, unsigned: the OIDC token is the proof. */
export declare function assumeRoleWithWebIdentity(options: StsClient & {
  roleArn: string;
  roleSessionName: string;
  /** An OIDC ID token, or a function returning the current one (asked at every refresh). */
  webIdentityToken: string | (() => string | Promise<string>);
  providerId?: string;
}): StsCredentialsProvider;
