// sigv4-wasm for Postman, optional part: temporary credentials, fetched once and cached in a
// variable until they are about to expire. For collections that set sigv4_role_arn (STS
// AssumeRole) or sigv4_get_session_token (GetSessionToken), each with an MFA code when
// sigv4_mfa_serial is set, or that define a function sigv4_credentials(done) fetching them
// with pm.sendRequest. Paste it between the signer library and src/prerequest.js
// (postman/README.md, "Temporary credentials that refresh").
//
// `s` is what the signer hands over: signer (the library), longTerm (the variables' keys, which
// sign the STS call), hook (sigv4_credentials, if defined), setting(name), stop(message),
// later(callback), formEscape(text), missingCredentials(), and done(credentials), which signs.
function sigv4_temporary(s) {
  // The cache is one collection variable (set by a script, a local value: it stays on this
  // machine), keyed by where the credentials came from.
  var CACHE = 'sigv4_cached_credentials';
  var source = s.hook ? 'sigv4_credentials' : ['sts', s.setting('sigv4_sts_url'), s.setting('sigv4_role_arn') || 'GetSessionToken',
    s.setting('sigv4_role_session_name'), s.setting('sigv4_mfa_serial'), s.longTerm.accessKeyId].join('|');
  var refreshBefore = s.setting('sigv4_refresh_before') === '' ? 300 : Number(s.setting('sigv4_refresh_before'));
  if (!(refreshBefore >= 0)) s.stop('sigv4_refresh_before is "' + s.setting('sigv4_refresh_before') + '": give a number of seconds (default 300)');
  var entry;
  try {
    entry = JSON.parse(pm.collectionVariables.get(CACHE) || 'null');
  } catch (ignored) { /* not ours: fetched again */ }
  if (entry && entry.source === source && (Date.parse(entry.expiration) - Date.now()) / 1000 > refreshBefore) return s.done(entry);

  var got = s.later(function (credentials) {
    if (!credentials || !credentials.accessKeyId || !credentials.secretAccessKey) {
      // The names it gave (never the values), and the shape done() takes.
      s.stop(s.hook ? 'sigv4_credentials gave no accessKeyId and secretAccessKey (it gave ' +
        (Object.keys(Object(credentials)).join(', ') || 'nothing') + '): call done(null, { accessKeyId, secretAccessKey, sessionToken, expiration })'
        : 'STS answered without AccessKeyId and SecretAccessKey');
    }
    if (credentials.expiration && !isNaN(Date.parse(credentials.expiration))) {
      pm.collectionVariables.set(CACHE, JSON.stringify({
        source: source,
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: new Date(Date.parse(credentials.expiration)).toISOString(),
      }));
    }
    console.info('sigv4: temporary credentials ' + credentials.accessKeyId.slice(0, 4) + '…' +
      (credentials.expiration ? ', valid until ' + credentials.expiration : '') + (credentials.arn ? ', for ' + credentials.arn : ''));
    s.done(credentials);
  });
  if (s.hook) {
    return s.hook(s.later(function (error, credentials) {
      if (error) s.stop('sigv4_credentials failed: ' + (error.message || error));
      got(credentials);
    }));
  }
  if (!s.longTerm.accessKeyId || !s.longTerm.secretAccessKey) s.missingCredentials();
  return sigv4_sts(s, got);
}

/** Temporary credentials from STS (AssumeRole or GetSessionToken), signed with the long-term keys. */
function sigv4_sts(s, done) {
  var roleArn = s.setting('sigv4_role_arn');
  var params = roleArn
    ? [['Action', 'AssumeRole'], ['RoleArn', roleArn], ['RoleSessionName', s.setting('sigv4_role_session_name') || 'postman-sigv4']]
    : [['Action', 'GetSessionToken']];
  params.push(['Version', '2011-06-15']);
  if (s.setting('sigv4_duration_seconds')) params.push(['DurationSeconds', s.setting('sigv4_duration_seconds')]);
  if (s.setting('sigv4_mfa_serial')) {
    if (!s.setting('sigv4_mfa_code')) {
      s.stop('the temporary credentials have expired (or were never fetched) and sigv4_mfa_serial is set: set sigv4_mfa_code to the current code of your MFA device, then send again');
    }
    params.push(['SerialNumber', s.setting('sigv4_mfa_serial')], ['TokenCode', s.setting('sigv4_mfa_code')]);
  }
  var body = params.map(function (p) { return s.formEscape(p[0]) + '=' + s.formEscape(p[1]); }).join('&');
  var stsUrl = (s.setting('sigv4_sts_url') || 'https://sts.amazonaws.com').replace(/\/?$/, '/');
  var scope = s.signer.inferScope(new (require('postman-collection').Url)(stsUrl).getRemote());
  var call = params[0][1] + ' at ' + stsUrl;
  var signed;
  try {
    signed = s.signer.sign({ method: 'POST', url: stsUrl, headers: [['content-type', 'application/x-www-form-urlencoded; charset=utf-8']], body: body }, {
      accessKeyId: s.longTerm.accessKeyId,
      secretAccessKey: s.longTerm.secretAccessKey,
      sessionToken: s.longTerm.sessionToken || undefined,
      region: scope.region || s.setting('aws_region') || 'us-east-1',
      service: 'sts',
    });
  } catch (error) {
    s.stop('cannot sign STS ' + call + ': ' + (error && error.code ? error.code + ': ' : '') + (error && error.message));
  }
  var header = Object.keys(signed.headers).filter(function (name) { return name.toLowerCase() !== 'host'; })
    .map(function (name) { return { key: name, value: signed.headers[name] }; });
  // STS answers in XML; these are plain text fields, with XML's five escapes.
  var field = function (xml, name) {
    var match = new RegExp('<' + name + '>([^<]*)</' + name + '>').exec(xml);
    return match ? match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') : '';
  };
  console.info('sigv4: fetching temporary credentials: STS ' + call + (roleArn ? ' for ' + roleArn : ''));
  pm.sendRequest({ url: stsUrl, method: 'POST', header: header, body: { mode: 'raw', raw: body } }, s.later(function (error, response) {
    if (error) s.stop('STS ' + call + ' failed: ' + (error.message || error.code || JSON.stringify(error)));
    var xml = response.text();
    if (response.code !== 200) {
      s.stop('STS ' + call + ' answered ' + response.code + ' ' + (field(xml, 'Code') || '') + ': ' +
        (field(xml, 'Message') || xml.slice(0, 200)) + ' (the long-term keys are aws_access_key_id and aws_secret_access_key)');
    }
    done({
      accessKeyId: field(xml, 'AccessKeyId'),
      secretAccessKey: field(xml, 'SecretAccessKey'),
      sessionToken: field(xml, 'SessionToken'),
      expiration: field(xml, 'Expiration'),
      arn: field(xml, 'Arn'),
    });
  }));
}
