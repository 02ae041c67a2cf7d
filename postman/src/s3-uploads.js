// sigv4-wasm for Postman: S3's two other upload forms, for the requests of one folder
// ("S3 uploads" in the generated collection). Put it in that folder's Scripts > Pre-request, and
// set sigv4_disabled@<the folder> = true so the collection's signer leaves its requests alone.
//   POST  a presigned POST policy upload: the form's fields (presignPost) go into the
//         form-data body before its file entry, which stays last, as S3 requires.
//   PUT   a chunked upload (aws-chunked) of the raw text body: the seed request signed, each
//         chunk signed, a CRC32C in a signed trailer (signChunked); the body is replaced by
//         its encoding, which is text as long as the body is.
// It needs sigv4-wasm/s3, which the signer pasted for the collection (postman/sigv4.postman.js)
// does not have (with them it would grow from 76.7 to about 140 KB): the variable sigv4_s3_lib
// holds the text of the npm package's js/dist/s3-js.cjs (its JavaScript translation, 190 KB).
// Variables: aws_access_key_id, aws_secret_access_key, aws_session_token (optional),
// sigv4_region, else the region the bucket's host names, else aws_region; s3_bucket (default:
// read from the request URL, path-style or virtual-hosted); s3_post_key (the policy's key;
// ending in ${filename}: any key with that prefix, default uploads/${filename}),
// s3_post_object_key (the key the form sends, within it; default the
// policy's key), s3_post_max_bytes (the content-length-range's top, default 10485760),
// s3_post_expires_in (seconds, default 600); s3_chunk_size (default 8192), s3_checksum
// (crc32, crc32c, sha256 or none; default crc32c).
(function () {
  'use strict';
  var request = pm.request;
  var REDACTED = '** redacted **'; // in the console, for the session token (as the signer writes it)
  var get = function (name) {
    var value = pm.variables.get(name);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };

  function stop(message) {
    var text = 'sigv4 S3 uploads: ' + message;
    console.error(text);
    pm.test('sigv4: the upload is signed', function () {
      throw new Error(text);
    });
    if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
    throw new Error(text);
  }

  function loadS3() {
    var code = get('sigv4_s3_lib');
    if (!code) stop('set the variable sigv4_s3_lib to the text of sigv4-wasm\'s js/dist/s3-js.cjs (postman/README.md, "S3 uploads")');
    var module = { exports: {} };
    try {
      new Function('module', 'exports', code)(module, module.exports);
    } catch (error) {
      stop('the variable sigv4_s3_lib does not hold a working copy of js/dist/s3-js.cjs (' + (error && error.message) + ')');
    }
    if (typeof module.exports.presignPost !== 'function') stop('the variable sigv4_s3_lib is not sigv4-wasm/s3 (js/dist/s3-js.cjs): it has no presignPost');
    if (typeof module.exports.inferScope !== 'function') stop('the variable sigv4_s3_lib holds an older sigv4-wasm/s3 (no inferScope): set it to the text of js/dist/s3-js.cjs again');
    return module.exports;
  }

  function credentials() {
    var accessKeyId = get('aws_access_key_id');
    var secretAccessKey = get('aws_secret_access_key');
    if (!accessKeyId || !secretAccessKey) stop('set the variables aws_access_key_id and aws_secret_access_key');
    // The region as the collection's signer reads it: sigv4_region, the one the host names
    // (the core's inferScope), aws_region.
    var host = (/^[a-z][a-z0-9+.-]*:\/\/(?:[^@\/?#]*@)?([^\/?#]*)/i.exec(url) || [])[1] || '';
    var region = get('sigv4_region') || s3.inferScope(host).region || get('aws_region');
    if (!region) stop('cannot tell the region to sign for: the host ' + host + ' names none. Set the variable aws_region (for example us-east-1)');
    var out = { accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, region: region, service: 's3' };
    if (get('aws_session_token')) out.sessionToken = get('aws_session_token');
    return out;
  }

  var method = request.method.toUpperCase();
  if (method !== 'POST' && method !== 'PUT') return; // the collection's signer signs it
  var url = pm.variables.replaceIn(request.url.toString());
  var s3 = loadS3();
  var creds = credentials();

  /** The bucket of a path-style (host/bucket) or virtual-hosted (bucket.s3.region...) URL. */
  function bucketOf(raw) {
    var match = /^https?:\/\/([^/]+)\/([^/?]+)/.exec(raw);
    if (match && !/\.s3[.-]/.test(match[1])) return decodeURIComponent(match[2]);
    var host = /^https?:\/\/([^/.]+)\.s3[.-]/.exec(raw);
    return host ? host[1] : undefined;
  }

  function postPolicy() {
    if (!request.body || request.body.mode !== 'formdata') stop('a POST upload needs a form-data body with its file entry (key "file")');
    var bucket = get('s3_bucket') || bucketOf(url);
    if (!bucket) stop('set the variable s3_bucket: the bucket is not in the URL ' + url);
    var key = get('s3_post_key') || 'uploads/${filename}';
    var presigned;
    try {
      presigned = s3.presignPost({
        bucket: bucket,
        key: key,
        url: url,
        expiresIn: Number(get('s3_post_expires_in') || 600),
        contentLengthRange: [1, Number(get('s3_post_max_bytes') || 10485760)],
        successActionStatus: 201,
      }, creds);
    } catch (error) {
      stop((error.code ? error.code + ': ' : '') + error.message);
    }
    var formdata = request.body.formdata;
    var rest = formdata.all().map(function (param) { return param.toJSON(); });
    formdata.clear();
    Object.keys(presigned.fields).forEach(function (name) {
      var value = presigned.fields[name];
      if (name === 'key' && get('s3_post_object_key')) value = get('s3_post_object_key');
      formdata.add({ key: name, value: value, type: 'text' });
    });
    rest.forEach(function (param) { formdata.add(param); }); // the file, last
    pm.variables.set('sigv4_post_policy', presigned.policy);
    // The document has the session token as a condition: the console gets it redacted.
    console.log('sigv4: a POST policy for ' + bucket + ', key ' + presigned.fields.key + ', until ' + presigned.expiration + ':\n' +
      presigned.policy.replace(/("x-amz-security-token":)"(?:[^"\\]|\\.)*"/, '$1"' + REDACTED + '"'));
  }

  /** UTF-8 bytes of a string, and back: the sandbox may have no TextEncoder. */
  function utf8(text) {
    var bytes = [];
    var encoded = unescape(encodeURIComponent(text));
    for (var i = 0; i < encoded.length; i++) bytes.push(encoded.charCodeAt(i));
    return new Uint8Array(bytes);
  }
  function text(bytes) {
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return decodeURIComponent(escape(binary));
  }

  function chunked() {
    if (!request.body || request.body.mode !== 'raw') stop('a chunked upload here takes a raw (text) body');
    var body = utf8(pm.variables.replaceIn(request.body.raw || ''));
    var checksum = get('s3_checksum') || 'crc32c';
    var headers = {};
    request.headers.each(function (header) {
      if (!header.disabled && /^content-type$/i.test(header.key)) headers[header.key] = pm.variables.replaceIn(header.value);
    });
    var upload;
    var frames;
    try {
      upload = s3.signChunked({ method: method, url: url, headers: headers }, Object.assign({}, creds, {
        decodedLength: body.length,
        chunkSize: Number(get('s3_chunk_size') || 8192),
        checksum: checksum === 'none' ? undefined : checksum,
      }));
      var encoder = upload.encoder();
      frames = encoder.write(body);
      frames.push(encoder.end());
    } catch (error) {
      stop((error.code ? error.code + ': ' : '') + error.message);
    }
    var encoded = '';
    var length = 0;
    var all = new Uint8Array(upload.encodedLength);
    frames.forEach(function (frame) {
      all.set(frame, length);
      length += frame.length;
    });
    encoded = text(all);
    Object.keys(upload.headers).forEach(function (name) {
      if (name === 'host') return;
      request.headers.upsert({ key: name, value: upload.headers[name] });
    });
    request.body.update({ mode: 'raw', raw: encoded });
    var chunks = Math.ceil(body.length / upload.chunkSize) + 1; // and the final, empty one
    console.log('sigv4: a chunked upload, ' + body.length + ' bytes in ' + chunks + ' chunks of ' + upload.chunkSize + ' (' + upload.payloadHash +
      (upload.trailer ? ', trailer ' + upload.trailer : '') + ')\n' + upload.canonicalRequest.replace(/(x-amz-security-token:).*/, '$1' + REDACTED));
  }

  if (method === 'POST') postPolicy();
  else chunked();
}());
