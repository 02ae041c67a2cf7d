// The playground's "Sign in with a user pool" part (issue 13): a user pool sign-in (the hosted
// login with PKCE, or the password form with USER_SRP_AUTH), the tokens decoded with their
// expiry, the identity pool's temporary credentials, and a call signed with them. Served by the
// local API, the fields hold its demo pools (/demo/credentials, loopback only); any real pool
// can be entered instead. sigv4-wasm/cognito is imported when first used.
//
// The hosted login leaves the page: the PKCE verifier, the state and the settings wait in
// sessionStorage (this tab only) and are removed when the redirect comes back, whatever it
// brings; a state that is not the one sent is refused and its code never exchanged. Tokens
// and credentials stay in this module's memory: the refresh token and the secret key are never
// shown whole.

import { el } from './dom.mjs';

const $ = (id) => document.getElementById(id);
const PENDING_KEY = 'sigv4-playground-cognito-pending';
const FIELDS = ['region', 'userPoolId', 'clientId', 'domain', 'identityPoolId'];
let cognitoModule;
let demo = null; // the local pools, from /demo/credentials
let session = null; // { target, settings, tokens: { idToken, accessToken, refreshToken? }, credentials? }
let ticker;
let hooks;

function loadCognito() {
  if (!cognitoModule) cognitoModule = import('/sigv4-wasm/cognito.mjs');
  return cognitoModule;
}

/** "59 min 12 s" until expiresAt (ms), or "expired 3 s ago". */
export function remaining(expiresAtMs, nowMs) {
  const seconds = Math.round((expiresAtMs - nowMs) / 1000);
  const span = Math.abs(seconds);
  const text = span >= 3600 ? `${Math.floor(span / 3600)} h ${Math.floor((span % 3600) / 60)} min` : span >= 60 ? `${Math.floor(span / 60)} min ${span % 60} s` : `${span} s`;
  return seconds > 0 ? `expires in ${text}` : `expired ${text} ago`;
}

/** A secret shown by its length and, for a token, its first characters only. */
export function masked(value, shown = 0) {
  return `${shown ? `${value.slice(0, shown)}…` : '••••••••'} (${value.length} characters, not shown)`;
}

/** What a refusal says, plainly: Cognito's code and message, or the token endpoint's error. */
function describe(error, where) {
  if (error && error.cognitoCode) return `${error.cognitoCode}: ${error.message.replace(/^sigv4-wasm: \w+ failed: [\w.]+: ?/, '') || '(no message)'}`;
  // OAUTH_ERROR's message names the grant, the endpoint's error and what to do.
  if (error && error.code === 'OAUTH_ERROR') return error.message.replace(/^sigv4-wasm: the/, 'The');
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    return `No answer from ${where || 'the endpoint'}: the network, or CORS (a real pool's endpoints answer pages on any origin; check the region and the domain).`;
  }
  return error && error.message ? error.message.replace(/^sigv4-wasm: /, '') : String(error);
}

function target() {
  return $('cg-target-aws').checked ? 'aws' : 'local';
}

function readSettings() {
  const settings = {};
  for (const name of FIELDS) settings[name] = $(`cg-${name}`).value.trim();
  return settings;
}

function writeSettings(settings) {
  for (const name of FIELDS) $(`cg-${name}`).value = settings[name] || '';
}

/** The local pools' settings from /demo/credentials. */
function demoSettings() {
  const client = demo.clients.find((c) => c.clientSecret === undefined && c.allowedOAuthFlows.includes('code')) || demo.clients[0];
  return {
    region: demo.userPoolId.split('_')[0],
    userPoolId: demo.userPoolId,
    clientId: client.clientId,
    domain: demo.endpoints.authorize.replace(/\/oauth2\/authorize$/, ''),
    identityPoolId: demo.identityPoolId || '',
  };
}

/** Where the calls go: the local stand-ins' endpoints, or AWS's (the package's defaults). */
function endpoints(where) {
  if (where !== 'local' || !demo) return {};
  return { idp: demo.endpoints.cognitoIdp, identity: demo.endpoints.cognitoIdentity };
}

function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

function showTarget() {
  const aws = target() === 'aws';
  $('cg-aws-note').hidden = !aws;
  $('cg-callback').textContent = redirectUri();
}

function switchTarget() {
  if (target() === 'local' && demo) writeSettings(demoSettings());
  else writeSettings({});
  showTarget();
}

function status(text) {
  $('cg-status').textContent = text;
}

function showError(text) {
  const node = $('cg-error');
  node.textContent = text || '';
  node.hidden = !text;
}

function need(settings, names) {
  const labels = { region: 'Region', userPoolId: 'User pool id', clientId: 'App client id', domain: 'Domain', identityPoolId: 'Identity pool id' };
  const missing = names.filter((name) => !settings[name]);
  if (missing.length) throw new Error(`Enter the ${missing.map((n) => labels[n]).join(' and the ')} first.`);
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function randomState() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function startHostedLogin() {
  showError('');
  try {
    const settings = readSettings();
    need(settings, ['clientId', 'domain']);
    const cognito = await loadCognito();
    const { codeVerifier, codeChallenge } = cognito.pkce();
    const state = randomState();
    const url = cognito.authorizeUrl({ domain: settings.domain, clientId: settings.clientId, redirectUri: redirectUri(), scope: 'openid email', state, codeChallenge });
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, codeVerifier, target: target(), settings, redirectUri: redirectUri() }));
    status(`Going to the hosted login at ${new URL(url).origin}…`);
    location.assign(url);
  } catch (error) {
    showError(describe(error));
  }
}

/** The redirect back from the hosted login: ?code=&state= (or ?error=). Resolves true when it was one. */
async function completeHostedLogin() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return false;
  // The code is good once: take it out of the address bar and the history.
  history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  let pending = null;
  try {
    pending = raw ? JSON.parse(raw) : null;
  } catch {
    pending = null;
  }
  $('cognito-panel').scrollIntoView();
  if (pending) restore(pending);
  if (!pending) {
    showError('A sign-in came back, but none was started from this tab: the code is not exchanged. Sign in again from here.');
  } else if (params.get('state') !== pending.state) {
    showError('The state that came back is not the one this page sent: the sign-in is refused and its code not exchanged (it may have been started elsewhere, a CSRF attempt). Sign in again.');
  } else if (params.has('error')) {
    showError(`The hosted login answered ${params.get('error')}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`);
  } else {
    status('Exchanging the code for tokens…');
    try {
      const cognito = await loadCognito();
      const tokens = await cognito.exchangeCode({ domain: pending.settings.domain, clientId: pending.settings.clientId, code: params.get('code'), redirectUri: pending.redirectUri, codeVerifier: pending.codeVerifier });
      await signedIn(pending.target, pending.settings, tokens, 'the hosted login (authorization code with PKCE)');
      return true;
    } catch (error) {
      status('');
      showError(describe(error, 'the token endpoint'));
    }
  }
  $('cg-error').focus();
  return true;
}

function restore(pending) {
  $(pending.target === 'aws' ? 'cg-target-aws' : 'cg-target-local').checked = true;
  writeSettings(pending.settings || {});
  showTarget();
}

async function srpSignIn(event) {
  event.preventDefault();
  showError('');
  const username = $('cg-username').value.trim();
  const password = $('cg-password').value;
  try {
    const settings = readSettings();
    need(settings, ['userPoolId', 'clientId']);
    if (!username || !password) throw new Error('Enter the user name and the password.');
    status('Signing in with SRP (InitiateAuth USER_SRP_AUTH, then PASSWORD_VERIFIER)…');
    const cognito = await loadCognito();
    const where = target();
    const answer = await cognito.signInWithSrp({ userPoolId: settings.userPoolId, clientId: settings.clientId, username, password, endpoint: endpoints(where).idp });
    if (!answer.AuthenticationResult) {
      throw new Error(`The pool asks for ${answer.ChallengeName || 'another step'}: this page answers only PASSWORD_VERIFIER. Finish it with the hosted login.`);
    }
    const r = answer.AuthenticationResult;
    $('cg-password').value = '';
    await signedIn(where, settings, { idToken: r.IdToken, accessToken: r.AccessToken, refreshToken: r.RefreshToken, expiresIn: r.ExpiresIn }, 'the password (USER_SRP_AUTH: the password never left this page)');
  } catch (error) {
    status('');
    showError(describe(error, 'the user pool'));
    $('cg-password').setAttribute('aria-invalid', String(Boolean(error && error.cognitoCode === 'NotAuthorizedException')));
    $('cg-error').focus();
  }
}

// ---------------------------------------------------------------------------------------------
// What the sign-in gave

async function signedIn(where, settings, tokens, how) {
  const cognito = await loadCognito();
  session = { target: where, settings, tokens: { idToken: tokens.idToken, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken } };
  $('cg-password').removeAttribute('aria-invalid');
  const list = $('cg-token-list');
  list.replaceChildren();
  for (const [name, token] of [['ID token', tokens.idToken], ['Access token', tokens.accessToken]]) {
    if (!token) continue;
    const { header, payload, exp } = cognito.decodeJwt(token);
    const id = name.startsWith('ID') ? 'cg-id-token' : 'cg-access-token';
    list.append(el('section', { className: 'cognito-token', id, 'aria-labelledby': `${id}-title` }, [
      el('h4', { id: `${id}-title`, text: `${name} (${payload.token_use || 'JWT'}, ${payload['cognito:username'] || payload.username || payload.sub || ''})` }),
      exp === undefined ? null : el('p', { className: 'hint expiry', 'data-expires': String(exp * 1000), text: '' }),
      el('h5', { text: 'Header' }),
      el('pre', { tabindex: '0', 'aria-label': `The ${name}'s header`, text: JSON.stringify(header, null, 2) }),
      el('h5', { text: 'Claims (decoded, not verified: the API verifies them)' }),
      el('pre', { className: 'claims', tabindex: '0', 'aria-label': `The ${name}'s claims`, text: JSON.stringify(payload, null, 2) }),
    ]));
  }
  list.append(el('p', { id: 'cg-refresh-token', text: tokens.refreshToken ? `Refresh token: ${masked(tokens.refreshToken, 6)}; kept in this page's memory only.` : 'No refresh token.' }));
  $('cg-signed-in-how').textContent = `Signed in with ${how}.`;
  $('cg-tokens').hidden = false;
  $('cg-credentials').hidden = true;
  $('cg-credentials-button').disabled = false;
  tick();
  status(`Signed in as ${cognito.decodeJwt(tokens.idToken || tokens.accessToken).payload['cognito:username'] || 'the user'}: the tokens are below.`);
  $('cg-tokens-title').focus();
}

/** Updates every countdown (not a live region: a screen reader would hear it every second). */
function tick() {
  const now = Date.now();
  for (const node of document.querySelectorAll('#cognito-panel [data-expires]')) {
    const at = Number(node.dataset.expires);
    node.textContent = `${remaining(at, now)} (at ${new Date(at).toISOString().replace('.000Z', 'Z')})`;
    node.classList.toggle('expired', at <= now);
  }
  if (!ticker) ticker = setInterval(tick, 1000);
}

async function getCredentials() {
  showError('');
  if (!session) return;
  const settings = { ...session.settings, identityPoolId: $('cg-identityPoolId').value.trim() || session.settings.identityPoolId };
  try {
    need(settings, ['identityPoolId']);
    if (!session.tokens.idToken) throw new Error('The sign-in gave no ID token (ask for the openid scope): the identity pool needs one.');
    status('Asking the identity pool (GetId, then GetCredentialsForIdentity)…');
    const cognito = await loadCognito();
    const provider = cognito.identityPoolCredentials({ identityPoolId: settings.identityPoolId, idToken: session.tokens.idToken, endpoint: endpoints(session.target).identity });
    const credentials = await provider();
    // Signed for the Region field's region (the API's), else the identity pool's.
    session.credentials = { ...credentials, region: $('cg-region').value.trim() || settings.identityPoolId.split(':')[0] };
    const list = $('cg-credentials-list');
    const row = (term, value, id) => [el('dt', { text: term }), el('dd', id ? { id } : {}, value)];
    list.replaceChildren(
      ...row('Access key id', el('code', { text: credentials.accessKeyId }), 'cg-access-key-id'),
      ...row('Secret access key', masked(credentials.secretAccessKey)),
      ...row('Session token', masked(credentials.sessionToken, 0)),
      ...row('Expiration', credentials.expiration
        ? el('span', { 'data-expires': String(credentials.expiration.getTime()) })
        : 'none given'),
    );
    $('cg-credentials').hidden = false;
    $('cg-call-url').value ||= demo && session.target === 'local' ? demo.endpoints.cognitoIdp.replace(/\/cognito-idp\/$/, `/${demo.stage || 'test'}/whoami`) : '';
    tick();
    status(`Temporary credentials for the identity pool's role: ${credentials.accessKeyId}.`);
    $('cg-credentials-title').focus();
  } catch (error) {
    status('');
    showError(describe(error, 'the identity pool'));
    $('cg-error').focus();
  }
}

/** Fills the signer's form with the credentials, then signs a GET of the call URL with them. */
async function useCredentials() {
  showError('');
  const c = session && session.credentials;
  if (!c) return;
  const url = $('cg-call-url').value.trim();
  hooks.useCredentials({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, region: c.region, service: 'execute-api', method: 'GET', url });
  if (!url) {
    status('The signer\'s form (1) now holds these credentials, with the session token.');
    return;
  }
  $('cg-call-answer').hidden = true;
  status(`The signer's form (1) now holds these credentials. Calling GET ${url}, signed with them…`);
  try {
    const { AwsClient } = hooks.signer();
    const client = new AwsClient({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, region: c.region, service: 'execute-api', retries: 0 });
    const response = await client.fetch(url, { cache: 'no-store' });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const identity = body && body.requestContext && body.requestContext.identity;
    const caller = identity && identity.userArn ? identity.userArn : response.headers.get('x-local-caller');
    const said = body && (body.message || body.Message);
    $('cg-call-result').textContent = response.ok
      ? `${response.status}: called as ${caller || 'the signer (the answer does not say who)'}`
      : `${response.status} ${response.headers.get('x-amzn-errortype') || ''}: ${said || text.slice(0, 300)}`.replace(/ +:/, ':');
    $('cg-call-result').className = response.ok ? 'call-result ok' : 'error';
    $('cg-call-answer').textContent = body ? JSON.stringify(body, null, 2) : text;
    $('cg-call-answer').hidden = false;
    status(`GET ${url}: ${response.status}.`);
  } catch (error) {
    status('');
    showError(describe(error, new URL(url, location.href).origin));
  }
}

// ---------------------------------------------------------------------------------------------

async function loadDemo() {
  try {
    const response = await fetch('/demo/credentials', { cache: 'no-store', credentials: 'same-origin' });
    const body = await response.json();
    if (!response.ok || !body.cognito) throw new Error(body.message || 'no Cognito pools');
    demo = { ...body.cognito, stage: new URL(body.endpoint).pathname.split('/')[1] };
    const user = demo.users[0];
    if (user) {
      $('cg-username').value = user.username;
      $('cg-password').value = user.password;
    }
    $('cg-demo-hint').textContent = `The local pools, from this server: the user ${user ? user.username : '(none)'} (its password is in the password field: Show reveals it, for the hosted login's form), the identity pool's role ${demo.roleArn || '(none)'}.`;
  } catch {
    demo = null;
    $('cg-target-local').disabled = true;
    $('cg-target-aws').checked = true;
    $('cg-demo-hint').textContent = 'No local pools here (the local server gives them to pages loaded from this machine: scripts/start). Enter a real pool.';
  }
}

/** Wires the part; `hooks`: { signer() (the page's sigv4 module), useCredentials(form fields) }. */
export async function wireCognitoPanel(pageHooks) {
  hooks = pageHooks;
  $('cg-target-local').addEventListener('change', switchTarget);
  $('cg-target-aws').addEventListener('change', switchTarget);
  $('cg-hosted-button').addEventListener('click', () => startHostedLogin());
  $('cg-srp-form').addEventListener('submit', (event) => srpSignIn(event));
  $('cg-credentials-button').addEventListener('click', () => getCredentials());
  $('cg-use-button').addEventListener('click', () => useCredentials());
  $('cg-toggle-password').addEventListener('click', (event) => {
    const input = $('cg-password');
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    event.target.textContent = show ? 'Hide' : 'Show';
    event.target.setAttribute('aria-pressed', String(show));
  });
  await loadDemo();
  // A hosted login coming back restores the settings it left with (completeHostedLogin).
  if (demo) writeSettings(demoSettings());
  showTarget();
  await completeHostedLogin();
  $('cognito-panel').dataset.ready = 'true';
}
