// sigv4-wasm/cognito's declarations (js/src/cognito.d.ts): user pools, identity pools, STS and
// OAuth, in every project (tests/js/types.test.mjs: DOM, Node-only, React Native).
import {
  signInWithSrp, identityPoolCredentials, passwordClaim, srpA, pkce, authorizeUrl, exchangeCode, refreshWithToken, clientCredentials,
  assumeRole, getSessionToken, assumeRoleWithWebIdentity, getBackend, fallbackReason, SigV4Error,
} from 'sigv4-wasm/cognito';
import type { OAuthTokens, StsCredentials, StsCredentialsProvider, SigV4ErrorCode } from 'sigv4-wasm/cognito';
import { AwsClient, cacheCredentials } from 'sigv4-wasm';

export async function cognitoUsage(): Promise<void> {
  const pool = { userPoolId: 'us-east-1_AbCdEfGhI', clientId: 'c' };
  const answer = await signInWithSrp({ ...pool, username: 'alice', password: 'p' });
  const idToken: string | undefined = answer.AuthenticationResult?.IdToken;
  const identity = identityPoolCredentials({ identityPoolId: 'us-east-1:1', idToken: async () => idToken || '' });
  new AwsClient({ credentials: identity, service: 'execute-api', region: 'us-east-1' });
  const claim = passwordClaim(new Uint8Array(128), { userPoolId: 'p', password: 'p', timestamp: 't', challengeParameters: { USER_ID_FOR_SRP: 'u', SRP_B: 'b', SALT: 's', SECRET_BLOCK: 'x' } });
  const signature: string = claim.signature;
  // @ts-expect-error the SRP session key never reaches JavaScript
  claim.hkdfKey;

  // Amplify's native exponentiation (@aws-amplify/react-native) plugs in as modPow.
  const computeModPow = (o: { base: string; exponent: string; divisor: string }): Promise<string> => Promise.resolve(o.base);
  await signInWithSrp({ ...pool, username: 'alice', password: 'p', modPow: computeModPow });
  const large: string = srpA(new Uint8Array(128));
  const pending: Promise<string> = srpA(new Uint8Array(128), { modPow: computeModPow });
  const syncClaim: { signature: string } = passwordClaim(new Uint8Array(128), {
    userPoolId: 'p', password: 'p', timestamp: 't', srpA: large, modPow: (o) => o.base, challengeParameters: { USER_ID_FOR_SRP: 'u', SRP_B: 'b', SALT: 's', SECRET_BLOCK: 'x' },
  });
  // @ts-expect-error modPow answers in hex, not with a number
  srpA(new Uint8Array(128), { modPow: () => 1 });
  void pending, syncClaim;

  const { codeVerifier, codeChallenge, codeChallengeMethod } = pkce();
  const method: 'S256' = codeChallengeMethod;
  const url: string = authorizeUrl({ domain: 'a.auth.us-east-1.amazoncognito.com', clientId: 'c', redirectUri: 'r', scope: ['openid'], state: 's', codeChallenge });
  // @ts-expect-error state is required (CSRF)
  authorizeUrl({ domain: 'd', clientId: 'c', redirectUri: 'r' });
  const tokens: OAuthTokens = await exchangeCode({ domain: 'd', clientId: 'c', code: 'x', redirectUri: 'r', codeVerifier });
  const expiresIn: number = tokens.expiresIn;
  await refreshWithToken({ domain: 'd', clientId: 'c', clientSecret: 's', clientAuth: 'body', refreshToken: tokens.refreshToken || '' });
  await clientCredentials({ tokenEndpoint: 'https://d/oauth2/token', clientId: 'c', clientSecret: 's', scope: 'pets/read' });
  // @ts-expect-error the client credentials grant needs the client's secret
  await clientCredentials({ domain: 'd', clientId: 'c' });

  const role: StsCredentialsProvider = assumeRole({
    credentials: { accessKeyId: 'A', secretAccessKey: 's' }, roleArn: 'arn:aws:iam::1:role/r', roleSessionName: 'n',
    serialNumber: 'arn:aws:iam::1:mfa/u', tokenCode: () => Promise.resolve('123456'), durationSeconds: 900, policy: { Version: '2012-10-17' },
  });
  const assumed: StsCredentials = await role();
  const expiration: Date = assumed.expiration;
  const arn: string | undefined = assumed.assumedRoleArn;
  new AwsClient({ credentials: role, service: 's3', region: 'eu-west-1' });
  cacheCredentials(getSessionToken({ credentials: () => Promise.resolve({ accessKeyId: 'A', secretAccessKey: 's' }) }));
  assumeRoleWithWebIdentity({ roleArn: 'r', roleSessionName: 'n', webIdentityToken: () => 'token' });
  // @ts-expect-error AssumeRole is signed: it needs credentials
  assumeRole({ roleArn: 'r', roleSessionName: 'n' });
  // @ts-expect-error AssumeRoleWithWebIdentity takes no MFA
  assumeRoleWithWebIdentity({ roleArn: 'r', roleSessionName: 'n', webIdentityToken: 't', tokenCode: '123456' });

  const codes: SigV4ErrorCode[] = ['STS_ERROR', 'OAUTH_ERROR', 'COGNITO_ERROR'];
  const backend: 'wasm' | 'js' = getBackend();
  const reason: string | undefined = fallbackReason();
  const isError: boolean = new Error() instanceof SigV4Error;
  void idToken, signature, method, url, expiresIn, expiration, arn, codes, backend, reason, isError;
}
