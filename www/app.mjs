// The playground page: wires the form, the steps, sending and the mismatch debugger to the
// modules in lib/ (which hold the logic and are tested in Node) and to the package.

import * as wasmSigner from '/sigv4-wasm/browser.mjs';

/** The signer: the package's browser build, or its wasm2js translation where this browser
 * refuses WebAssembly (loadBackend). */
let sigv4 = wasmSigner;
import { diffChars, highlightChanges, visibleSegments } from './lib/diff.mjs';
import { diagnose, parseAwsError, signatureChecklist } from './lib/mismatch.mjs';
import { checklistFacts, formatHeaderLines, hostOf, parseHeaderLines, scopeOf, sendableUrl, signSteps } from './lib/signing.mjs';
import { curlSnippet, fetchSnippet, postmanSnippet } from './lib/snippets.mjs';
import { canonicalToForm, compareSignatures, importedToForm, parseImport } from './lib/import.mjs';
import { ruleForCause, rulesForSteps } from './lib/rules.mjs';
import { runtimeSnippets } from './lib/runtime-snippets.mjs';
import { clearForm, loadForm, saveForm } from './lib/storage.mjs';
import { describeFetchFailure, prettyBody } from './lib/format.mjs';
import { wireS3Panel } from './lib/s3-panel.mjs';
import { wireCognitoPanel } from './lib/cognito-panel.mjs';
import { el } from './lib/dom.mjs';

const $ = (id) => document.getElementById(id);
const FIELDS = ['method', 'url', 'headers', 'signedHeaders', 'body', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'region', 'service', 'expiresIn', 'datetime'];
const CHECKS = ['s3', 'unsignedPayload', 'unencodedPath'];

/** What the send panel shows in place of the session token (sent as signed). */
const TOKEN_MASK = '••••••••';

const state = {
  result: null, // the last successful signSteps() result
  signedForm: null, // the form as it was signed
  token: '', // the session token of the last signing, for the masked send panel
  response: null, // { body, status, date, requestSigned } of the last response with an error body
  imported: null, // the signature of an imported request, compared at each signing
  runtimeKind: 'node', // the run-time snippet shown
  demoKeys: [],
  demoRegion: '',
  demoService: '',
};

/** Segments `{ text, changed }` as text nodes and <mark>s. */
function segmentsInto(parent, segments) {
  parent.replaceChildren(...segments.map((s) => (s.changed ? el('mark', { text: s.text }) : document.createTextNode(s.text))));
}

/**
 * Changed segments with each invisible or look-alike character (a space, tab, CR, zero-width
 * or non-ASCII character) shown as a symbol and named, for the debugger's diff.
 */
function revealingSegmentsInto(parent, segments) {
  parent.replaceChildren(...segments.map((s) => {
    if (!s.changed) return document.createTextNode(s.text);
    return el('mark', {}, visibleSegments(s.text).map((piece) => (piece.name
      ? el('span', { className: 'invisible-char', title: piece.name }, [el('span', { 'aria-hidden': 'true', text: piece.text }), el('span', { className: 'visually-hidden', text: ` (${piece.name}) ` })])
      : document.createTextNode(piece.text))));
  }));
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
  // The core applies the S3 rules by itself for service s3: the box says so.
  const s3Box = $('f-s3');
  if (scope.service === 's3' && !s3Box.checked) {
    s3Box.checked = true;
    s3Box.dataset.auto = 'true';
    $('s3-options').open = true;
  } else if (scope.service !== 's3' && s3Box.dataset.auto) {
    s3Box.checked = false;
    delete s3Box.dataset.auto;
  }
  $('s3-auto-note').hidden = !s3Box.dataset.auto;
  $('f-region').placeholder = scope.inferred.region || 'e.g. us-east-1';
  $('f-service').placeholder = scope.inferred.service || 'e.g. execute-api';
  if (!host) {
    hint.textContent = '';
  } else if (scope.region && scope.service && conflictingRegion(form, scope)) {
    // The signer refuses a region the host contradicts: say so before signing.
    hint.textContent = `${host} names region ${scope.inferred.region}: the region entered, ${scope.region}, is refused. Clear the Region field or enter ${scope.inferred.region}.`;
  } else if (scope.region && scope.service) {
    const from = scope.inferred.region || scope.inferred.service ? `inferred from ${host} where not entered` : 'as entered';
    hint.textContent = `Signs for region ${scope.region}, service ${scope.service} (${from}).`;
  } else {
    hint.textContent = `${host} names ${scope.inferred.region || scope.inferred.service ? 'only part of the scope' : 'no region or service'}: enter ${[!scope.region && 'the region', !scope.service && 'the service'].filter(Boolean).join(' and ')}.`;
  }
}

/** The signer's CONFLICTING_REGION error for the form's host and region, if it has one (the core decides). */
function conflictingRegion(form, scope) {
  if (!scope.inferred.region || scope.region === scope.inferred.region) return null;
  try {
    sigv4.sign({ url: sendableUrl(form.url) }, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'scope-check', region: scope.region, service: scope.service, datetime: '20200101T000000Z' });
  } catch (error) {
    if (error.code === 'CONFLICTING_REGION') return error;
  }
  return null;
}

/** A textarea tall enough for its text (within reason). */
function fitHeight(textarea) {
  textarea.style.height = 'auto';
  textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 320)}px`;
}

/** The signer's error under the form, and on the field it is about (marked invalid, described by it, focused). */
function showSignError(error) {
  const box = $('sign-error');
  box.textContent = error ? `${error.code ? `${error.code}: ` : ''}${error.message}` : '';
  box.hidden = !error;
  for (const name of FIELDS) {
    const input = $(`f-${name}`);
    if (!input || !input.hasAttribute('aria-invalid')) continue;
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
  const input = error && error.field && $(`f-${error.field}`);
  box.dataset.field = input ? error.field : '';
  if (!input) return;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'sign-error');
  input.focus();
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
    const rules = rulesForSteps({ s3: result.ours.s3 })[step.id];
    return el('li', { className: 'step', 'data-step': step.id }, [el('div', { className: 'step-head' }, [el('h3', { text: step.title }), copy]), pre, rules ? rulesBlock(rules, `rules-${step.id}`) : null]);
  });
  list.replaceChildren(...items);
  $('steps-hint').replaceChildren(
    document.createTextNode(`Signed ${result.signed.method} for ${result.signed.region}/${result.signed.service} at ${result.signed.datetime} (${result.presigning ? 'presigned URL' : 'Authorization header'}). `),
    el('mark', { text: 'Highlighted' }),
    document.createTextNode(': what changed since the previous signing.'),
  );
}

/** The canonicalization rules behind a step, each with its AWS documentation link. */
function rulesBlock(rules, id) {
  return el('details', { className: 'rules', id }, [
    el('summary', { text: 'The rules behind these lines' }),
    el('ul', {}, rules.map((r) => el('li', { 'data-rule': r.id }, [
      el('strong', { text: `${r.title}. ` }),
      document.createTextNode(`${r.text} `),
      ...r.links.flatMap((link, i) => [i ? document.createTextNode('; ') : null, el('a', { href: link.href, rel: 'noopener noreferrer', target: '_blank', text: link.label })]).filter(Boolean),
    ]))),
  ]);
}

function renderWarnings(warnings) {
  $('sign-warnings').replaceChildren(...warnings.map((w) => el('li', { text: w })));
}

/** `text` with the session token (raw or percent-encoded) shown as TOKEN_MASK. */
function maskToken(text, token) {
  if (!token) return text;
  let out = text.split(encodeURIComponent(token)).join(TOKEN_MASK);
  out = out.split(token).join(TOKEN_MASK);
  return out;
}

function fillSendPanel(send) {
  $('send-method').value = send.method;
  $('send-url').value = maskToken(send.url, state.token);
  $('send-headers').value = maskToken(formatHeaderLines(send.headers), state.token);
  $('send-body').value = send.body;
  fitHeight($('send-headers'));
  for (const id of ['send-button', 'copy-curl', 'copy-fetch', 'copy-postman']) $(id).disabled = false;
}

function sign() {
  const form = readForm();
  const result = signSteps(sigv4, form);
  if (!result.ok) {
    showSignError(result.error);
    // What is still shown belongs to the last signing, not to the form as it is now.
    renderWarnings([]);
    if (state.result) $('steps-hint').textContent = `Not signed: ${result.error.code || 'an error'} (above). The steps below are still those of the previous signing, ${state.result.signed.method} at ${state.result.signed.datetime}.`;
    return null;
  }
  showSignError(null);
  renderSteps(result, state.result);
  state.result = result;
  state.signedForm = form;
  state.token = (form.sessionToken || '').trim();
  renderWarnings(result.warnings);
  fillSendPanel(result.send);
  renderImportComparison();
  if (!$('runtime-snippet').hidden) showRuntimeSnippet(state.runtimeKind);
  remember();
  return result;
}

/** What the send panel holds, as a request. */
function sendPanelRequest() {
  const parsed = parseHeaderLines($('send-headers').value);
  if (parsed.errors.length) throw new Error(parsed.errors.join('; '));
  const token = state.token;
  const unmask = (text, value) => (token ? text.split(TOKEN_MASK).join(value) : text);
  return {
    method: $('send-method').value.trim().toUpperCase() || state.result.send.method,
    url: unmask($('send-url').value.trim(), encodeURIComponent(token)),
    headers: parsed.headers.map(([name, value]) => [name, unmask(value, token)]),
    body: $('send-body').value,
  };
}

/** Whether a request carries a SigV4 signature (header or presigned URL). */
function isSigned(request) {
  return request.headers.some(([name]) => name.toLowerCase() === 'authorization') || /[?&]X-Amz-Signature=/i.test(request.url);
}

/** Says `text` through the page's one live region (a summary, not a whole panel). */
function announce(text) {
  const region = $('announce');
  region.textContent = '';
  // A change after a tick is announced even when the text repeats.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Shows the answer: into view, focused, so a keyboard or screen-reader user lands on it. */
function revealResponse() {
  const box = $('response');
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: 'start' });
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
    announce($('response-status').textContent);
    revealResponse();
    return;
  }
  const ok = response.status >= 200 && response.status < 300;
  $('response-status').className = `response-status ${ok ? 'ok' : 'failed'}`;
  $('response-status').textContent = `${response.status} ${response.statusText || ''}`.trim();
  const headerLines = [];
  response.headers.forEach((value, name) => headerLines.push(`${name}: ${value}`));
  $('response-headers').textContent = headerLines.join('\n');
  $('response-body').textContent = prettyBody(text, response.headers.get('content-type'));
  const status = $('response-status').textContent;
  if (!ok && text) {
    state.response = { body: text, status: response.status, date: response.headers.get('date') || undefined, requestSigned: isSigned(request) };
    $('debug-input').value = text;
    const diagnosis = runDebugger();
    const first = diagnosis && diagnosis.causes[0];
    if (first && !['unknown', 'not-signing'].includes(first.id)) $('response-debug-link').hidden = false;
    announce(`${status}. ${first ? `${first.id === 'not-signing' ? '' : 'Most likely: '}${first.title}` : ''}`);
  } else {
    // A diagnosis of an earlier failure no longer applies.
    state.response = null;
    $('debug-input').value = '';
    $('debug-output').replaceChildren(el('p', { className: 'hint', id: 'debug-clear', text: ok ? `The last request succeeded (${status}): nothing to explain.` : `The last answer (${status}) had no body to explain.` }));
    announce(status);
  }
  revealResponse();
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

/** The most rows a diff table shows: a canonical request has a dozen; more is not one. */
const MAX_DIFF_ROWS = 300;

function diffTable(id, caption, allRows) {
  const rows = allRows.slice(0, MAX_DIFF_ROWS);
  const table = el('table', { className: 'diff', id });
  table.append(el('caption', { text: allRows.length > rows.length ? `${caption} (the first ${rows.length} of ${allRows.length} lines)` : caption }));
  table.append(el('thead', {}, el('tr', {}, [el('th', { scope: 'col', text: 'The server computed' }), el('th', { scope: 'col', text: 'Signed here' })])));
  const body = el('tbody');
  for (const row of rows) {
    const left = el('td');
    const right = el('td');
    if (row.kind === 'changed') {
      const pieces = diffChars(row.left, row.right);
      revealingSegmentsInto(left, pieces.left);
      revealingSegmentsInto(right, pieces.right);
    } else {
      left.textContent = row.left ?? '';
      right.textContent = row.right ?? '';
    }
    if (row.left !== undefined) left.dataset.line = row.left;
    if (row.right !== undefined) right.dataset.line = row.right;
    const label = { same: 'same', changed: 'differs', removed: 'only on the server', added: 'only here' }[row.kind];
    // Not colour alone: a sign and its words before each differing line.
    if (row.kind !== 'same') {
      const sign = { changed: '≠', removed: '−', added: '+' }[row.kind];
      for (const cell of row.kind === 'removed' ? [left] : row.kind === 'added' ? [right] : [left, right]) {
        cell.prepend(el('span', { className: 'row-mark', 'aria-hidden': 'true', text: `${sign} ` }), el('span', { className: 'visually-hidden', text: `${label}: ` }));
      }
    }
    body.append(el('tr', { className: row.kind, title: label }, [left, right]));
  }
  table.append(body);
  const named = rows.filter((row) => row.explanation);
  if (!named.length) return table;
  // Byte-level differences the eye cannot see, named under the table.
  return el('div', { className: 'diff-block' }, [
    table,
    el('ul', { className: 'byte-notes', id: `${id}-bytes` }, named.map((row) => el('li', { text: `${row.right === undefined ? '' : `'${row.right.length > 50 ? `${row.right.slice(0, 50)}…` : row.right}': `}${row.explanation}` }))),
  ]);
}

/** The checks run on the request signed here, for a bare "signature does not match". */
function checklistBlock(response) {
  if (!state.result) return el('p', { className: 'hint', id: 'debug-checklist', text: 'Sign the request above as you sent it: the page then checks the secret, the key and token, the clock, the scope, the path and the headers.' });
  const items = signatureChecklist(checklistFacts(state.signedForm, state.result, { date: response && response.date }));
  const label = { warn: 'Look at this:', ok: 'Fine:', info: 'Note:' };
  return el('section', { className: 'checklist', 'aria-labelledby': 'checklist-title' }, [
    el('h3', { id: 'checklist-title', text: 'Checks run on the request signed here' }),
    el('ul', { id: 'debug-checklist' }, items.map((item) => el('li', { className: `check-${item.status}`, 'data-check': item.id, 'data-status': item.status }, [
      el('strong', { text: `${label[item.status]} ` }),
      document.createTextNode(item.text),
    ]))),
  ]);
}

function runDebugger() {
  const output = $('debug-output');
  const text = $('debug-input').value;
  if (!text.trim()) {
    output.replaceChildren(el('p', { className: 'hint', text: 'Paste an error body first.' }));
    return null;
  }
  const error = parseAwsError(text);
  // The status and headers of the response the body came with, when it is the one the page received.
  const response = state.response && state.response.body === text ? state.response : null;
  const context = response ? { status: response.status, requestSigned: response.requestSigned } : {};
  const diagnosis = diagnose(error, state.result ? state.result.ours : null, context);
  const parts = [];
  const formats = { 'api-gateway': "API Gateway's signature error", s3: "S3's XML error", 'query-xml': "an <ErrorResponse> (STS, IAM and other query APIs)", text: 'a message' };
  parts.push(el('p', { className: 'hint', text: `Read as ${formats[error.format]}${error.code ? ` (${error.code})` : ''}${response ? `, HTTP ${response.status}` : ''}.` }));
  const causes = el('ol', { className: 'causes', id: 'debug-causes' });
  const s3Rules = state.result ? state.result.ours.s3 : false;
  diagnosis.causes.forEach((cause, index) => {
    const r = ruleForCause(cause.id, { s3: s3Rules });
    causes.append(el('li', { className: index === 0 ? 'cause likely' : 'cause', 'data-cause': cause.id }, [
      el('strong', { text: index === 0 ? `Most likely: ${cause.title}` : cause.title }),
      el('p', { text: cause.detail }),
      r ? el('p', { className: 'rule-note', 'data-rule': r.id }, [
        el('span', { text: `The rule: ${r.title}. ` }),
        el('a', { href: r.links[0].href, rel: 'noopener noreferrer', target: '_blank', text: r.links[0].label }),
      ]) : null,
    ]));
  });
  parts.push(causes);
  if (error.canonicalRequest !== undefined && !diagnosis.causes.some((c) => c.id === 'unreadable')) {
    const load = el('button', { type: 'button', className: 'secondary', id: 'load-canonical', text: "Load the server's canonical request into the form" });
    load.addEventListener('click', () => loadServerCanonical(error));
    parts.push(el('div', { className: 'actions' }, [load, el('span', { className: 'hint', text: 'Fills method, URL, headers, signed headers and signing time from it; sign again to compare.' })]));
    parts.push(el('ul', { className: 'hint', id: 'load-canonical-notes' }));
  }
  // The service gave no reason, or everything but the key matches: the page checks what it can.
  if (diagnosis.causes.some((c) => c.id === 'signature-mismatch' || c.id === 'secret')) parts.push(checklistBlock(response));
  for (const note of error.notes) parts.push(el('p', { className: 'hint', text: note }));
  if (diagnosis.canonicalRows) parts.push(diffTable('diff-canonical-request', 'Canonical request', diagnosis.canonicalRows));
  if (diagnosis.stringToSignRows) parts.push(diffTable('diff-string-to-sign', 'String to sign', diagnosis.stringToSignRows));
  output.replaceChildren(...parts);
  return diagnosis;
}

/** Fills the form from the server's canonical request (and string to sign), signs it and compares again. */
function loadServerCanonical(error) {
  const loaded = canonicalToForm(error.canonicalRequest, { stringToSign: error.stringToSign, baseUrl: $('f-url').value.trim() || location.href });
  const notes = $('load-canonical-notes');
  if (!loaded.ok) {
    notes.replaceChildren(el('li', { text: loaded.error }));
    return;
  }
  writeForm(loaded.form);
  updateScopeHint();
  const text = $('debug-input').value;
  const result = sign();
  // sign() leaves the debugger as it was: compare the same error with the new signing.
  if (result) runDebugger();
  const after = $('load-canonical-notes');
  const lines = [`Loaded ${loaded.form.method} ${loaded.form.url}${loaded.form.signedHeaders ? ` with SignedHeaders ${loaded.form.signedHeaders}` : ''}.`, ...loaded.notes];
  if (!result) lines.push('Signing failed: see the message under the form (the secret access key, perhaps).');
  if (after) after.replaceChildren(...lines.map((line) => el('li', { text: line })));
  $('debug-input').value = text;
  announce(lines[0]);
}

/** Imports a pasted curl command, raw HTTP, HAR or URL into the form. */
function importRequest() {
  const output = $('import-output');
  const imported = parseImport($('import-input').value);
  if (!imported.ok) {
    state.imported = null;
    output.replaceChildren(el('p', { className: 'error', id: 'import-error', role: 'alert', text: imported.error }));
    return;
  }
  const { form, notes } = importedToForm(imported);
  writeForm(form);
  updateScopeHint();
  state.imported = imported.authorization ? { signature: imported.authorization, notes: [...imported.notes, ...notes], kind: imported.kind } : null;
  const summary = `Imported ${imported.method} ${imported.url.length > 100 ? `${imported.url.slice(0, 100)}…` : imported.url} (from ${{ curl: 'a curl command', http: 'raw HTTP', har: 'a HAR', url: 'a URL' }[imported.kind]}).`;
  output.replaceChildren(
    el('p', { id: 'import-summary', text: summary }),
    el('ul', { className: 'hint', id: 'import-notes' }, [...imported.notes, ...notes].map((n) => el('li', { text: n }))),
    el('div', { id: 'import-compare' }),
  );
  announce(summary);
  if (state.imported && $('f-secretAccessKey').value) sign();
  else renderImportComparison();
}

/** Compares the imported request's signature with the one signed here. */
function renderImportComparison() {
  const box = $('import-compare');
  if (!box || !state.imported) return;
  const theirs = state.imported.signature;
  if (!state.result || !$('f-secretAccessKey').value) {
    box.replaceChildren(el('p', { className: 'hint', text: `Enter the secret access key of ${theirs.accessKeyId || 'its key'} and sign: its Authorization is then compared with ours.` }));
    return;
  }
  const { signed } = state.result;
  const ours = { accessKeyId: (state.signedForm.accessKeyId || '').trim(), credentialScope: signed.credentialScope, signedHeaders: signed.signedHeaders, signature: signed.signature, datetime: signed.datetime };
  const compared = compareSignatures(theirs, ours);
  if (compared.same) {
    box.replaceChildren(el('p', { className: 'compare-same', id: 'import-same', text: `Same signature (${signed.signature.slice(0, 16)}…): its client signed exactly what is signed here, with the same secret. If the service refuses it, the request was changed on the way: send it and paste the error into the debugger.` }));
    return;
  }
  box.replaceChildren(
    el('h3', { text: 'Its signature against ours' }),
    el('ul', { id: 'import-differences' }, compared.differences.map((d) => el('li', { 'data-field': d.field }, [el('strong', { text: `${d.field}: ` }), document.createTextNode(d.text)]))),
  );
}

/** What the run-time snippets sign: the form as last signed. */
function runtimeInput() {
  const form = state.signedForm;
  const { signed } = state.result;
  const headers = parseHeaderLines(form.headers).headers;
  return {
    method: signed.method,
    url: form.unencodedPath ? form.url.trim() : sendableUrl(form.url),
    headers,
    body: form.body || '',
    region: signed.region,
    service: signed.service,
    s3: state.result.ours.s3,
    unsignedPayload: !!form.unsignedPayload,
    presign: state.result.presigning,
    expiresIn: form.expiresIn,
  };
}

function showRuntimeSnippet(kind) {
  if (!state.result) return;
  state.runtimeKind = kind;
  const form = state.signedForm;
  const credentials = { accessKeyId: (form.accessKeyId || '').trim(), secretAccessKey: form.secretAccessKey, sessionToken: (form.sessionToken || '').trim() };
  const snippet = runtimeSnippets(runtimeInput(), credentials, { embedSecret: $('embed-secret').checked }).find((s) => s.id === kind);
  const pre = $('runtime-snippet');
  pre.textContent = snippet.text;
  pre.dataset.kind = kind;
  pre.hidden = false;
  for (const button of $('runtime-buttons').querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.kind === kind));
  navigator.clipboard.writeText(snippet.text).catch(() => {});
}

function addRuntimeButtons() {
  const kinds = runtimeSnippets({ method: 'GET', url: 'https://x/', headers: [], body: '', region: '', service: '' }).map((s) => [s.id, s.title]);
  $('runtime-buttons').replaceChildren(...kinds.map(([kind, title]) => {
    const button = el('button', { type: 'button', className: 'secondary small', 'data-kind': kind, 'aria-pressed': 'false', text: title });
    button.addEventListener('click', () => {
      if (!state.result) {
        $('runtime-snippet').hidden = false;
        $('runtime-snippet').textContent = 'Sign a request first: the code signs that request.';
        return;
      }
      showRuntimeSnippet(kind);
    });
    return button;
  }));
  $('embed-secret').addEventListener('change', () => {
    if (state.result && !$('runtime-snippet').hidden) showRuntimeSnippet(state.runtimeKind);
  });
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

/** The user pool part's "Use these credentials": its temporary key, session token and call in the form. */
function useCognitoCredentials(fields) {
  writeForm(fields);
  $('demo-hint').textContent = `Using the identity pool's temporary credentials (${fields.accessKeyId}), with their session token.`;
  updateScopeHint();
  remember();
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
  $('f-s3').addEventListener('change', (event) => {
    delete event.target.dataset.auto;
    $('s3-auto-note').hidden = true;
  });
  $('send-button').addEventListener('click', () => {
    try {
      send(sendPanelRequest());
    } catch (error) {
      $('copy-status').textContent = error.message;
    }
  });
  $('send-unsigned-button').addEventListener('click', () => sendUnsigned());
  $('debug-button').addEventListener('click', () => runDebugger());
  $('import-button').addEventListener('click', () => importRequest());
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
  addRuntimeButtons();
  const remembered = loadForm(sessionStorage);
  if (remembered) {
    writeForm(remembered);
    $('f-remember').checked = true;
  }
  wire();
  wireS3Panel();
  await loadBackend();
  updateScopeHint();
  await defaultUrl();
  await wireCognitoPanel({ signer: () => sigv4, useCredentials: useCognitoCredentials });
}

main();
