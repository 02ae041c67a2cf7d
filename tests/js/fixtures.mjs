// Everything the suite needs, as one JSON-able object: the vectors, and hashes computed
// independently of the package with Node's own crypto.
import { createHash } from 'node:crypto';
import { loadUploadVectors, loadVectors } from './vectors.mjs';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

export function loadFixtures() {
  return {
    vectors: loadVectors(),
    uploads: loadUploadVectors(),
    hashes: {
      formBody: sha256(new URLSearchParams('a=1&b=x y').toString()),
      unicodeBody: sha256(Buffer.from('héllo ሴ😀', 'utf8')),
      threeMiBOfA: sha256(Buffer.alloc(3 * 1024 * 1024, 97)),
    },
  };
}
