// sigv4-wasm/cognito in Node, Deno, Bun, browsers and bundlers: the cognito binary (the signer
// with the Cognito user-pool math, the feature `cognito`, built for size), its wasm inlined;
// where WebAssembly is missing or refused (a CSP without 'wasm-unsafe-eval', workerd), its
// wasm2js translation, with one console.warn that says why (fallbackReason()). The signer's
// and the servers' binaries do not carry it.
import * as glue from '../../dist/gen/cognito/glue.js';
import wasmBytes from '../../dist/gen/cognito/wasm-bytes.js';
import instantiateTranslated from '../../dist/gen/cognito/wasm2js.mjs';
import { bytesOf, createEntry, loadWasmOrTranslated } from '../load.js';
import { createCognito } from '../cognito.js';

const { api, call } = createEntry(glue, () =>
  loadWasmOrTranslated(glue, bytesOf(wasmBytes), instantiateTranslated, 'sigv4-wasm/cognito'));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const {
  srpA, passwordClaim, secretHash, srpTimestamp, pkce, pkceVerifier, pkceChallenge, decodeJwt, isTokenExpired,
  initiateAuth, respondToAuthChallenge, signInWithPassword, signInWithSrp, refreshTokens, identityPoolCredentials,
  authorizeUrl, exchangeCode, refreshWithToken, clientCredentials,
  assumeRole, getSessionToken, assumeRoleWithWebIdentity,
} = createCognito(glue, call, api.sign);
