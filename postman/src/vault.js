// sigv4-wasm for Postman, optional part: credentials kept in Postman's Vault, for collections
// whose aws_access_key_id, aws_secret_access_key or aws_session_token is a {{vault:NAME}}
// reference, or unset with secrets of those names in the vault. Paste it between the signer
// library and src/prerequest.js (postman/README.md, "Credentials in the Postman Vault").
//
// Postman resolves {{vault:NAME}} only when it sends, after the script: a script reads the
// vault with pm.vault.get (a promise), and only where the vault's settings allow scripts.
// `s` is what the signer hands over: credentials ({ accessKeyId, secretAccessKey,
// sessionToken }), nameOf(field) (the variable that gave it), stop(message), later(callback),
// note(text) (added to the signer's "set the variables" stop), and done(credentials).
function sigv4_vault(s) {
  var wanted = []; // [field, vault secret name, how it was asked for, optional]
  ['accessKeyId', 'secretAccessKey', 'sessionToken'].forEach(function (field) {
    var name = s.nameOf(field);
    s.credentials[field].replace(/\{\{vault:([^{}]+)\}\}/g, function (match, secret) {
      wanted.push([field, secret.trim(), name + ' refers to the vault secret ' + secret.trim(), false]);
      return match;
    });
    if (!s.credentials[field]) wanted.push([field, name.split('@')[0], 'unset variable ' + name + ', looked for in the vault', true]);
  });
  if (!pm.vault || typeof pm.vault.get !== 'function') {
    s.stop(wanted[0][2] + ' ({{vault:...}}), but this Postman gives scripts no vault (pm.vault; newman and the Postman CLI have none): ' +
      'put the value itself in the environment (a secure variable) for runs outside the app');
  }
  var out = { accessKeyId: s.credentials.accessKeyId, secretAccessKey: s.credentials.secretAccessKey, sessionToken: s.credentials.sessionToken };
  var read = function (name) {
    return pm.vault.get(name).then(function (value) {
      return value === undefined || value === null ? pm.vault.get('vault:' + name) : value;
    });
  };
  var step = function (i) {
    if (i === wanted.length) return s.done(out);
    var field = wanted[i][0];
    var secret = wanted[i][1];
    var optional = wanted[i][3];
    read(secret).then(s.later(function (value) {
      if ((value === undefined || value === null) && !optional) {
        s.stop(wanted[i][2] + ', which the vault does not have: add it in Postman\'s Vault, or correct the name');
      }
      if (value !== undefined && value !== null) {
        out[field] = optional ? String(value) : out[field].replace('{{vault:' + secret + '}}', String(value)).trim();
      }
      step(i + 1);
    }), s.later(function (error) {
      var message = error && error.message ? error.message : String(error);
      if (optional) {
        // Unset and not readable from the vault: said if nothing else gives credentials.
        s.note(' If they are in your Postman Vault, it refused this script (' + message + '): in the Vault > Settings, ' +
          'turn on "Enable support in scripts" and grant this collection access.');
        return step(i + 1);
      }
      s.stop(wanted[i][2] + ', and the vault refused this script (' + message + '): the credentials are set, but scripts may not ' +
        'read the vault. In Postman, open the Vault > Settings, turn on "Enable support in scripts", and grant this collection access when asked; then send again');
    }));
    return undefined;
  };
  step(0);
}
