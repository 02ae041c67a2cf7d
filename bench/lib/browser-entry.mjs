// The Chromium page's side: bundled by run.mjs with esbuild (browser conditions), so each
// package resolves to the build a web app would ship: sigv4-wasm's browser entry with the
// inlined .wasm, aws4fetch on WebCrypto, @smithy/signature-v4 with @aws-crypto/sha256-browser
// (the AWS SDK v3 browser default: WebCrypto's SHA-256/HMAC) and, for reference, with
// @aws-crypto/sha256-js (pure JavaScript).
import * as ours from 'sigv4-wasm';
import * as oursJs from 'sigv4-wasm/js';
import { AwsV4Signer } from 'aws4fetch';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 as Sha256Browser } from '@aws-crypto/sha256-browser';
import { Sha256 as Sha256Js } from '@aws-crypto/sha256-js';
import { runSuite } from './suite.mjs';

window.runBench = async (config) => {
  if (!window.crypto || !window.crypto.subtle) throw new Error('bench: no WebCrypto here (not a secure context?)');
  const libs = {
    ours,
    oursJs,
    asyncPath: true,
    AwsV4Signer,
    subtle: window.crypto.subtle,
    smithy: { SignatureV4, HttpRequest },
    smithyHashes: [
      { id: 'smithy', sha256: Sha256Browser },
      { id: 'smithy (sha256-js)', sha256: Sha256Js },
    ],
  };
  const result = await runSuite('chromium', libs, config, (line) => console.log(line));
  result.userAgent = navigator.userAgent;
  result.crossOriginIsolated = self.crossOriginIsolated;
  return result;
};
