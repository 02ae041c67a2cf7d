// sigv4-wasm/cognito for React Native (Hermes) and runtimes without WebAssembly: the cognito
// binary's wasm2js translation (the signer with the Cognito user-pool math). SRP's three
// exponentiations are BigInt's (modpow.js: about 0.1 s each in Hermes 0.12, where the
// translation's num-bigint takes seconds) when the runtime has BigInt and the caller passes no
// modPow (Amplify's native computeModPow plugs in as modPow); else the translation's.
import * as glue from '../../dist/gen/cognito/glue.js';
import instantiateTranslated from '../../dist/gen/cognito/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { createCognito } from '../cognito.js';
import { bigIntModPow } from '../modpow.js';

const { api, call } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const {
  srpA, passwordClaim, secretHash, srpTimestamp, pkce, pkceVerifier, pkceChallenge, decodeJwt, isTokenExpired,
  initiateAuth, respondToAuthChallenge, signInWithPassword, signInWithSrp, refreshTokens, identityPoolCredentials,
  authorizeUrl, exchangeCode, refreshWithToken, clientCredentials,
  assumeRole, getSessionToken, assumeRoleWithWebIdentity,
} = createCognito(glue, call, api.sign, typeof BigInt === 'function' ? bigIntModPow : undefined);
