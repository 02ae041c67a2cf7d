// AwsClient is aws4fetch's: its sign and fetch take whatever aws4fetch's take, and give the
// same. Compiled with the DOM library only (tests/js/types.test.mjs): aws4fetch's own types
// need it.
import { AwsClient } from 'sigv4-wasm';
import type { AwsClient as Aws4fetchClient } from 'aws4fetch';

const retrying = new AwsClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 't', retries: 0 });
const asAws4fetchSign: Aws4fetchClient['sign'] = (input, init) => retrying.sign(input, init);
const asAws4fetchFetch: Aws4fetchClient['fetch'] = (input, init) => retrying.fetch(input, init);
void asAws4fetchSign, asAws4fetchFetch;
