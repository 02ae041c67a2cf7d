// The hash class @smithy/signature-v4 takes, over node:crypto, for the Node benchmarks.
import { createHash, createHmac } from 'node:crypto';

/** @smithy/hash-node's Hash (what the AWS SDK v3 uses in Node), over node:crypto. */
export class NodeSha256 {
  constructor(secret) {
    this.secret = secret;
    this.reset();
  }
  update(data) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }
  digest() {
    return Promise.resolve(this.hash.digest());
  }
  reset() {
    this.hash = this.secret
      ? createHmac('sha256', typeof this.secret === 'string' ? Buffer.from(this.secret, 'utf8') : this.secret)
      : createHash('sha256');
  }
}
