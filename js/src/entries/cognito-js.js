// sigv4-wasm/cognito for React Native (Hermes) and runtimes without WebAssembly: the cognito
// binary's wasm2js translation (the signer with the Cognito user-pool math).
import * as glue from '../../dist/gen/cognito/glue.js';
import instantiateTranslated from '../../dist/gen/cognito/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { createCognito } from '../cognito.js';

const { api, call } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const {
  srpA, passwordClaim, secretHash, srpTimestamp, pkce, pkceVerifier, pkceChallenge, decodeJwt, isTokenExpired,
  initiateAuth, respondToAuthChallenge, signInWithPassword, signInWithSrp, refreshTokens, identityPoolCredentials,
  authorizeUrl, exchangeCode, refreshWithToken, clientCredentials,
  assumeRole, getSessionToken, assumeRoleWithWebIdentity,
} = createCognito(glue, call, api.sign);
