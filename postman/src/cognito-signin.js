// Cognito sign-in without a browser (newman, the Postman CLI): the Cognito folder's pre-request
// script. Gets the user pool's tokens with USER_PASSWORD_AUTH (InitiateAuth, a JSON POST to
// cognito-idp), keeps them in variables with their expiry, and gets new ones with
// REFRESH_TOKEN_AUTH when they have expired (or will within cognito_refresh_before seconds).
// The folder's requests send cognito_id_token or cognito_access_token through their own
// OAuth 2.0 authorization (header prefix empty: the raw token, as API Gateway expects), and the
// signer leaves requests with their own authorization alone.
// It runs only when cognito_password or cognito_refresh_token is set: in the Postman app, leave
// both empty and use the OAuth 2.0 tab's "Get New Access Token" instead (postman/README.md).
//
// Variables read:    cognito_idp_url, cognito_client_id, cognito_client_secret (when the app
//                    client has one: SECRET_HASH), cognito_username, cognito_password,
//                    cognito_refresh_before (seconds, default 60)
// Variables written: cognito_id_token, cognito_access_token, cognito_refresh_token,
//                    cognito_tokens_expire_at (ISO 8601), cognito_token_username
// (in the environment when it has the variable, else as collection variables: local values).
(function () {
  'use strict';
  var CryptoJS = require('crypto-js');

  function get(name) {
    var value = pm.variables.get(name);
    return value === undefined || value === null ? '' : String(value);
  }
  function store(name, value) {
    if (pm.environment.has(name)) pm.environment.set(name, value);
    else pm.collectionVariables.set(name, value);
  }
  /** Stops the request: the reason in the console and the test results, nothing sent. */
  function fail(message) {
    var text = 'cognito: ' + message;
    console.error(text);
    pm.test('cognito: signed in', function () {
      throw new Error(text);
    });
    if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
  }
  /** The payload of a JWT (not verified: the API verifies it). */
  function claimsOf(jwt) {
    var part = String(jwt).split('.')[1] || '';
    var base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    return JSON.parse(CryptoJS.enc.Base64.parse(base64).toString(CryptoJS.enc.Utf8));
  }
  /** SECRET_HASH: Base64(HMAC-SHA256(client secret, user name + client id)). */
  function secretHash(username) {
    return CryptoJS.HmacSHA256(username + get('cognito_client_id'), get('cognito_client_secret')).toString(CryptoJS.enc.Base64);
  }

  function initiateAuth(flow, parameters, done) {
    if (get('cognito_client_secret')) parameters.SECRET_HASH = secretHash(parameters.USERNAME);
    pm.sendRequest({
      url: get('cognito_idp_url'),
      method: 'POST',
      header: [
        { key: 'Content-Type', value: 'application/x-amz-json-1.1' },
        { key: 'X-Amz-Target', value: 'AWSCognitoIdentityProviderService.InitiateAuth' },
      ],
      body: { mode: 'raw', raw: JSON.stringify({ AuthFlow: flow, ClientId: get('cognito_client_id'), AuthParameters: parameters }) },
    }, function (error, response) {
      if (error) return done(flow + ': ' + (error.message || error));
      var answer;
      try {
        answer = response.json();
      } catch (ignored) {
        return done(flow + ': ' + response.code + ' ' + response.text().slice(0, 200));
      }
      if (response.code !== 200) {
        var hint = /SECRET_HASH/.test(answer.message) && !get('cognito_client_secret') ? ': set cognito_client_secret to the app client\'s secret' : '';
        return done(flow + ': ' + String(answer.__type).split('#').pop() + ': ' + answer.message + hint, answer);
      }
      if (!answer.AuthenticationResult) {
        return done(flow + ': a challenge (' + answer.ChallengeName + ') this script does not answer: ' + (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED'
          ? 'set a permanent password for the user (aws cognito-idp admin-set-user-password --permanent), then send again'
          : 'sign in with the requests\' OAuth 2.0 "Get New Access Token" in the Postman app, or use a user the pool signs in without it'));
      }
      return done(null, answer.AuthenticationResult);
    });
  }

  function keep(result, flow) {
    var claims = claimsOf(result.IdToken);
    var expiresAt = new Date(Date.now() + result.ExpiresIn * 1000).toISOString();
    store('cognito_id_token', result.IdToken);
    store('cognito_access_token', result.AccessToken);
    if (result.RefreshToken) store('cognito_refresh_token', result.RefreshToken); // a refresh gives none
    store('cognito_tokens_expire_at', expiresAt);
    store('cognito_token_username', claims['cognito:username']);
    console.info('cognito: ' + flow + ': tokens for ' + claims['cognito:username'] + ', valid until ' + expiresAt);
  }

  var password = get('cognito_password');
  var refreshToken = get('cognito_refresh_token');
  if (!password && !refreshToken) {
    console.info('cognito: no cognito_password or cognito_refresh_token: the requests send the tokens their OAuth 2.0 authorization holds');
    return;
  }
  var before = get('cognito_refresh_before') === '' ? 60 : Number(get('cognito_refresh_before'));
  var left = (Date.parse(get('cognito_tokens_expire_at')) - Date.now()) / 1000;
  if (get('cognito_id_token') && left > before) return; // still valid

  function signIn() {
    if (!password) return fail('the tokens have expired and the refresh token was refused: set cognito_password to sign in again');
    return initiateAuth('USER_PASSWORD_AUTH', { USERNAME: get('cognito_username'), PASSWORD: password }, function (error, result) {
      if (error) return fail(error);
      return keep(result, 'USER_PASSWORD_AUTH');
    });
  }
  if (!refreshToken) return signIn();
  // SECRET_HASH on a refresh is computed with the token's user name (cognito:username).
  var username = get('cognito_token_username') || get('cognito_username');
  return initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken, USERNAME: username }, function (error, result) {
    if (!error) return keep(result, 'REFRESH_TOKEN_AUTH');
    console.warn('cognito: ' + error + (password ? '; signing in again' : ''));
    store('cognito_refresh_token', '');
    return signIn();
  });
})();
