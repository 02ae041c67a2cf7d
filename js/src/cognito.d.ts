// Types of sigv4-wasm/cognito: Amazon Cognito for clients, over the core's math (src/cognito/).
// Every runtime: its own binary, inlined (Node, Deno, Bun, browsers; the wasm2js translation
// where WebAssembly is refused) or translated (React Native).
import type { CredentialsProvider } from './index.js';
export { SigV4Error } from './index.js';

/** The ChallengeParameters of PASSWORD_VERIFIER, as InitiateAuth returns them. */
export interface PasswordVerifierParameters {
  USER_ID_FOR_SRP: string;
  SRP_B: string;
  SALT: string;
  SECRET_BLOCK: string;
  [name: string]: string;
}

/** SRP_A for the secret exponent's bytes (128 from a CSPRNG). */
export declare function srpA(secret: Uint8Array): string;
/** PASSWORD_CLAIM_SIGNATURE for the same secret bytes as srpA (the SRP session key never leaves the binary). */
export declare function passwordClaim(
  secret: Uint8Array,
  options: { userPoolId: string; password: string; challengeParameters: PasswordVerifierParameters; timestamp: string },
): { signature: string };
/** SECRET_HASH = Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export declare function secretHash(clientSecret: string, username: string, clientId: string): string;
/** TIMESTAMP, e.g. 'Tue Jan 1 06:06:09 UTC 2019', for a Date or ms since 1970 (default now). */
export declare function srpTimestamp(time?: Date | number): string;
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
  options: UserPoolClient & { username: string; password: string; now?: () => number; clockOffsetMs?: number; random?: (n: number) => Uint8Array },
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
