// The playground page: wires the form, the steps, sending and the mismatch debugger to the
// modules in lib/ (which hold the logic and are tested in Node) and to the package.

import * as wasmSigner from '/sigv4-wasm/browser.mjs';

/** The signer: the package's browser build, or its wasm2js translation where this browser
 * refuses WebAssembly (loadBackend). */
let sigv4 = wasmSigner;
import { diffChars, highlightChanges } from './lib/diff.mjs';
import { diagnose, parseAwsError } from './lib/mismatch.mjs';
import { formatHeaderLines, hostOf, parseHeaderLines, scopeOf, signSteps } from './lib/signing.mjs';
import { curlSnippet, fetchSnippet, postmanSnippet } from './lib/snippets.mjs';
import { clearForm, loadForm, saveForm } from './lib/storage.mjs';
import { describeFetchFailure, prettyBody } from './lib/format.mjs';

const $ = (id) => document.getElementById(id);
const FIELDS = ['method', 'url', 'headers', 'body', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'region', 'service', 'expiresIn', 'datetime'];
const CHECKS = ['s3', 'unsignedPayload', 'unencodedPath'];

const state = {
  result: null, // the last successful signSteps() result
  demoKeys: [],
  demoRegion: '',
  demoService: '',
};

function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name === 'className') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) if (child !== undefined && child !== null) node.append(child);
  return node;
}

/** Segments `{ text, changed }` as text nodes and <mark>s. */
function segmentsInto(parent, segments) {
  parent.replaceChildren(...segments.map((s) => (s.changed ? el('mark', { text: s.text }) : document.createTextNode(s.text))));
}

function readForm() {
  const form = {};
  for (const name of FIELDS) form[name] = $(`f-${name}`).value;
  for (const name of CHECKS) form[name] = $(`f-${name}`).checked;
  form.location = $('f-location-query').checked ? 'query' : 'headers';
  return form;
}

function writeForm(form) {
  for (const name of FIELDS) if (typeof form[name] === 'string') $(`f-${name}`).value = form[name];
  for (const name of CHECKS) if (typeof form[name] === 'boolean') $(`f-${name}`).checked = form[name];
  if (form.location === 'query') $('f-location-query').checked = true;
  else if (form.location === 'headers') $('f-location-headers').checked = true;
}

function remember() {
  if ($('f-remember').checked) saveForm(sessionStorage, readForm());
}

function updateScopeHint() {
  const form = readForm();
  const host = hostOf(form.url);
  const hint = $('scope-hint');
  const scope = scopeOf(sigv4, form);
  $('f-region').placeholder = scope.inferred.region || 'e.g. us-east-1';
  $('f-service').placeholder = scope.inferred.service || 'e.g. execute-api';
  if (!host) {
    hint.textContent = '';
  } else if (scope.region && scope.service) {
    const from = scope.inferred.region || scope.inferred.service ? `inferred from ${host} where not entered` : 'as entered';
    hint.textContent = `Signs for region ${scope.region}, service ${scope.service} (${from}).`;
  } else {
    hint.textContent = `${host} names ${scope.inferred.region || scope.inferred.service ? 'only part of the scope' : 'no region or service'}: enter ${[!scope.region && 'the region', !scope.service && 'the service'].filter(Boolean).join(' and ')}.`;
  }
}

/** A textarea tall enough for its text (within reason). */
function fitHeight(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 320)}px`;
}

function showSignError(error) {
  const box = $('sign-error');
  box.textContent = error ? `${error.code ? `${error.code}: ` : ''}${error.message}` : '';
  box.hidden = !error;
  if (error && error.field && $(`f-${error.field}`)) $(`f-${error.field}`).focus();
}

/** The steps of `result`, highlighting what changed since `previous` (the last signing). */
function renderSteps(result, previous) {
  const list = $('steps');
  const items = result.steps.map((step) => {
    const pre = el('pre', { className: 'step-text', id: `step-${step.id}` });
    const before = previous && previous.steps.find((s) => s.id === step.id);
    segmentsInto(pre, highlightChanges(before && before.text, step.text));
    const copy = el('button', { type: 'button', className: 'secondary small', text: 'Copy', 'aria-label': `Copy: ${step.title}` });
    copy.addEventListener('click', () => copyText(step.text, step.title));
    return el('li', { className: 'step', 'data-step': step.id }, [el('div', { className: 'step-head' }, [el('h3', { text: step.title }), copy]), pre]);
  });
  list.replaceChildren(...items);
  $('steps-hint').replaceChildren(
    document.createTextNode(`Signed ${result.signed.method} for ${result.signed.region}/${result.signed.service} at ${result.signed.datetime} (${result.presigning ? 'presigned URL' : 'Authorization header'}). `),
    el('mark', { text: 'Highlighted' }),
    document.createTextNode(': what changed since the previous signing.'),
  );
}

function renderWarnings(warnings) {
  $('sign-warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })));
}

function fillSendPanel(send) {
  $('send-url').value = send.url;
  $('send-headers').value = formatHeaderLines(send.headers);
  $('send-body').value = send.body;
  fitHeight($('send-headers'));
  for (const id of ['send-button', 'copy-curl', 'copy-fetch', 'copy-postman']) $(id).disabled = false;
}

function sign() {
  const result = signSteps(sigv4, readForm());
  if (!result.ok) {
    showSignError(result.error);
    return null;
  }
  showSignError(null);
  renderSteps(result, state.result);
  state.result = result;
  renderWarnings(result.warnings);
  fillSendPanel(result.send);
  remember();
  return result;
}

/** What the send panel holds, as a request. */
function sendPanelRequest() {
  const parsed = parseHeaderLines($('send-headers').value);
  if (parsed.errors.length) throw new Error(parsed.errors.join('; '));
  return { method: state.result.send.method, url: $('send-url').value.trim(), headers: parsed.headers, body: $('send-body').value };
}

async function send(request) {
  const box = $('response');
  box.hidden = false;
  $('response-status').className = 'response-status';
  $('response-status').textContent = `${request.method} ${request.url} …`;
  $('response-headers').textContent = '';
  $('response-body').textContent = '';
  $('response-debug-link').hidden = true;
  const init = { method: request.method, headers: request.headers, cache: 'no-store', credentials: 'omit', redirect: 'manual' };
  if (request.body && !/^(GET|HEAD)$/i.test(request.method)) init.body = request.body;
  let response;
  let text;
  try {
    response = await fetch(request.url, init);
    text = await response.text();
  } catch (error) {
    $('response-status').className = 'response-status failed';
    $('response-status').textContent = describeFetchFailure(error, request.url, location.href);
    return;
  }
  const ok = response.status >= 200 && response.status < 300;
  $('response-status').className = `response-status ${ok ? 'ok' : 'failed'}`;
  $('response-status').textContent = `${response.status} ${response.statusText || ''}`.trim();
  const headerLines = [];
  response.headers.forEach((value, name) => headerLines.push(`${name}: ${value}`));
  $('response-headers').textContent = headerLines.join('\n');
  $('response-body').textContent = prettyBody(text, response.headers.get('content-type'));
  if (!ok && text) {
    $('debug-input').value = text;
    const diagnosis = runDebugger();
    if (diagnosis && diagnosis.causes[0] && diagnosis.causes[0].id !== 'unknown') $('response-debug-link').hidden = false;
  }
}

async function signAndSend() {
  const result = sign();
  if (result) await send(result.send);
}

async function sendUnsigned() {
  const form = readForm();
  const parsed = parseHeaderLines(form.headers);
  if (parsed.errors.length) {
    showSignError({ message: parsed.errors.join('; '), field: 'headers' });
    return;
  }
  showSignError(null);
  await send({ method: form.method.trim().toUpperCase() || 'GET', url: form.url.trim(), headers: parsed.headers, body: form.body });
}

function diffTable(id, caption, rows) {
  const table = el('table', { className: 'diff', id });
  table.append(el('caption', { text: caption }));
  table.append(el('thead', {}, el('tr', {}, [el('th', { scope: 'col', text: 'The server computed' }), el('th', { scope: 'col', text: 'Signed here' })])));
  const body = el('tbody');
  for (const row of rows) {
    const left = el('td');
    const right = el('td');
    if (row.kind === 'changed') {
      const pieces = diffChars(row.left, row.right);
      segmentsInto(left, pieces.left);
      segmentsInto(right, pieces.right);
    } else {
      left.textContent = row.left ?? '';
      right.textContent = row.right ?? '';
    }
    const label = { same: 'same', changed: 'differs', removed: 'only on the server', added: 'only here' }[row.kind];
    body.append(el('tr', { className: row.kind, title: label }, [left, right]));
  }
  table.append(body);
  return table;
}

function runDebugger() {
  const output = $('debug-output');
  const text = $('debug-input').value;
  if (!text.trim()) {
    output.replaceChildren(el('p', { className: 'hint', text: 'Paste an error body first.' }));
    return null;
  }
  const error = parseAwsError(text);
  const diagnosis = diagnose(error, state.result ? state.result.ours : null);
  const parts = [];
  parts.push(el('p', { className: 'hint', text: `Read as ${{ 'api-gateway': "API Gateway's signature error", s3: "S3's XML error", text: 'a message' }[error.format]}${error.code ? ` (${error.code})` : ''}.` }));
  const causes = el('ol', { className: 'causes', id: 'debug-causes' });
  diagnosis.causes.forEach((cause, index) => {
    causes.append(el('li', { className: index === 0 ? 'cause likely' : 'cause', 'data-cause': cause.id }, [
      el('strong', { text: index === 0 ? `Most likely: ${cause.title}` : cause.title }),
      el('p', { text: cause.detail }),
    ]));
  });
  parts.push(causes);
  for (const note of error.notes) parts.push(el('p', { className: 'hint', text: note }));
  if (diagnosis.canonicalRows) parts.push(diffTable('diff-canonical-request', 'Canonical request', diagnosis.canonicalRows));
  if (diagnosis.stringToSignRows) parts.push(diffTable('diff-string-to-sign', 'String to sign', diagnosis.stringToSignRows));
  output.replaceChildren(...parts);
  return diagnosis;
}

async function copyText(text, what) {
  const status = $('copy-status');
  $('snippet').textContent = text;
  $('snippet-box').hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = `Copied ${what}.`;
  } catch {
    status.textContent = `Select and copy ${what} below.`;
  }
}

function copySnippet(kind) {
  if (!state.result) return;
  let request;
  try {
    request = sendPanelRequest();
  } catch (error) {
    $('copy-status').textContent = error.message;
    return;
  }
  const { signed, presigning } = state.result;
  const text = kind === 'curl' ? curlSnippet(request) : kind === 'fetch' ? fetchSnippet(request) : postmanSnippet(request, { presigned: presigning, datetime: signed.datetime });
  copyText(text, { curl: 'the curl command', fetch: 'the fetch() code', postman: 'the Postman pre-request script' }[kind]);
}

function applyDemoKey(index) {
  const key = state.demoKeys[index];
  if (!key) return;
  $('f-accessKeyId').value = key.accessKeyId;
  $('f-secretAccessKey').value = key.secretAccessKey;
  $('f-sessionToken').value = key.sessionToken || '';
  if (!$('f-region').value) $('f-region').value = state.demoRegion;
  if (!$('f-service').value) $('f-service').value = state.demoService;
  $('demo-hint').textContent = `Using ${key.arn} from the local API.`;
  updateScopeHint();
  remember();
}

async function useDemoKey() {
  const hint = $('demo-hint');
  let body;
  try {
    const response = await fetch('/demo/credentials', { cache: 'no-store', credentials: 'same-origin' });
    body = await response.json();
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  } catch (error) {
    hint.textContent = `No demo key: ${error.message}. The local server gives it to pages loaded from this machine (scripts/start).`;
    return;
  }
  state.demoKeys = body.keys;
  state.demoRegion = body.region;
  state.demoService = body.service;
  if (!$('f-url').value.trim()) $('f-url').value = body.endpoint;
  const select = $('demo-key-select');
  select.replaceChildren(...body.keys.map((key, i) => el('option', { value: String(i), text: key.label })));
  $('demo-key-field').hidden = body.keys.length < 2;
  applyDemoKey(0);
}

async function loadBackend() {
  const status = $('backend-status');
  try {
    // The real WebAssembly, compiled asynchronously (browsers refuse large synchronous compiles).
    await sigv4.init('/sigv4-wasm/sigv4-signer.wasm');
  } catch {
    // No WebAssembly here: the browser build has no fallback of its own, so the page loads
    // the same signer translated to JavaScript, as the build's error advises.
    sigv4 = await import('/sigv4-wasm/js.mjs');
  }
  status.textContent = `Signer: sigv4-wasm (${sigv4.getBackend() === 'wasm' ? 'WebAssembly' : 'wasm2js'})`;
  status.dataset.backend = sigv4.getBackend();
  document.body.dataset.ready = 'true';
}

async function defaultUrl() {
  if ($('f-url').value) return;
  try {
    const response = await fetch('/demo/api', { cache: 'no-store' });
    if (response.ok) {
      const api = await response.json();
      if (!$('f-url').value) $('f-url').value = `${api.invokeUrl}/pets`;
      updateScopeHint();
    }
  } catch {
    // Not served by the local server: leave the URL empty.
  }
}

function wire() {
  const form = $('sign-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    sign();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sign();
    }
  });
  form.addEventListener('input', () => remember());
  for (const id of ['f-url', 'f-region', 'f-service']) $(id).addEventListener('input', updateScopeHint);
  $('sign-send-button').addEventListener('click', () => signAndSend());
  $('send-button').addEventListener('click', () => {
    try {
      send(sendPanelRequest());
    } catch (error) {
      $('copy-status').textContent = error.message;
    }
  });
  $('send-unsigned-button').addEventListener('click', () => sendUnsigned());
  $('debug-button').addEventListener('click', () => runDebugger());
  $('demo-button').addEventListener('click', () => useDemoKey());
  $('demo-key-select').addEventListener('change', (event) => applyDemoKey(Number(event.target.value)));
  $('copy-curl').addEventListener('click', () => copySnippet('curl'));
  $('copy-fetch').addEventListener('click', () => copySnippet('fetch'));
  $('copy-postman').addEventListener('click', () => copySnippet('postman'));
  $('toggle-secret').addEventListener('click', (event) => {
    const input = $('f-secretAccessKey');
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    event.target.textContent = show ? 'Hide' : 'Show';
    event.target.setAttribute('aria-pressed', String(show));
  });
  // Ticking it saves through the form's input listener.
  $('f-remember').addEventListener('change', (event) => {
    if (!event.target.checked) clearForm(sessionStorage);
  });
}

function addSnippetBox() {
  const box = el('div', { id: 'snippet-box', className: 'snippet-box' }, [el('pre', { id: 'snippet', tabindex: '0', 'aria-label': 'The copied snippet' })]);
  box.hidden = true;
  $('copy-status').parentElement.after(box);
}

async function main() {
  addSnippetBox();
  const remembered = loadForm(sessionStorage);
  if (remembered) {
    writeForm(remembered);
    $('f-remember').checked = true;
  }
  wire();
  await loadBackend();
  updateScopeHint();
  await defaultUrl();
}

main();
