// What a React Native app on Hermes 0.12 installs before it loads the AWS SDK's signer, and
// what the benchmark's harness needs there. bench/lib/hermes-entry.mjs requires this after
// sigv4-wasm (which captures TextEncoder/TextDecoder when it loads, and must find them absent,
// as on a bare Hermes 0.12) and before @smithy/signature-v4 and @aws-crypto/sha256-js.
//
// - Buffer: the `buffer` package (6.0.3) as globalThis.Buffer, as React Native apps do
//   (`global.Buffer = require('buffer').Buffer`). @aws-crypto/util converts strings with it.
// - TextEncoder / TextDecoder: Hermes 0.12 has neither (Hermes gained TextEncoder with React
//   Native 0.74). @smithy/core creates a TextEncoder when its protocols module loads, and its
//   react-native build (serde/index.native.js) encodes every string of the canonical request
//   with one: without it, require('@smithy/signature-v4') itself throws
//   `ReferenceError: Property 'TextEncoder' doesn't exist`. Apps add a polyfill package
//   (text-encoding, fast-text-encoding); none is installed here, so this is the same few
//   lines over the Buffer polyfill's UTF-8 code.
// - console: React Native provides it; Hermes' command line does not (@smithy/core reads
//   console.warn when it loads). Here it prints with Hermes' `print`, prefixed.
// - performance.now(): Hermes' command line has no `performance` (React Native has it); the
//   harness reads the clock through it. Date.now() has millisecond resolution, so the timed
//   slices are long (100 ms).

var Buffer = require('buffer').Buffer;

var g = typeof globalThis !== 'undefined' ? globalThis : this;

if (typeof g.Buffer === 'undefined') g.Buffer = Buffer;

if (typeof g.TextEncoder === 'undefined') {
  var TextEncoderPolyfill = function TextEncoder() {};
  TextEncoderPolyfill.prototype.encoding = 'utf-8';
  TextEncoderPolyfill.prototype.encode = function (input) {
    var bytes = Buffer.from(input === undefined ? '' : String(input), 'utf8');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  };
  g.TextEncoder = TextEncoderPolyfill;
}

if (typeof g.TextDecoder === 'undefined') {
  var TextDecoderPolyfill = function TextDecoder() {};
  TextDecoderPolyfill.prototype.encoding = 'utf-8';
  TextDecoderPolyfill.prototype.decode = function (input) {
    if (input === undefined) return '';
    var view = ArrayBuffer.isView(input) ? input : new Uint8Array(input);
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');
  };
  g.TextDecoder = TextDecoderPolyfill;
}

if (typeof g.console === 'undefined') {
  var out = function () { print('# console: ' + Array.prototype.join.call(arguments, ' ')); };
  g.console = { log: out, info: out, warn: out, error: out, debug: out, trace: out };
}

if (typeof g.performance === 'undefined') g.performance = { now: function () { return Date.now(); } };
