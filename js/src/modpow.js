// A modular exponentiation over BigInt, for sigv4-wasm/cognito in React Native (Hermes) where
// the binary runs as its wasm2js translation: num-bigint there takes seconds per 3072-bit
// exponentiation, this about 0.1 s (bench/hermes-srp.mjs). The SRP math around it stays in the
// binary (src/cognito/srp.rs asks for base^exponent mod N and checks the answer).
//
// Sliding window (5 or 6 bits for SRP's exponents: 1024 squarings and ~180 multiplications),
// with Barrett reduction: Hermes 0.12 divides BigInts about 100 times slower than it multiplies
// them, so each step reduces with two multiplications and shifts, not `%`. No BigInt literals
// (`1n`): the bundles target ES2015 syntax. Not constant-time, as num-bigint and jsbn.

/** `{ base, exponent, divisor }` in hex (Amplify's computeModPow shape) → base^exponent mod divisor, hex. */
export function bigIntModPow(request) {
  const big = (hex) => BigInt('0x' + hex);
  const m = big(request.divisor);
  const one = BigInt(1);
  if (m <= one) return '0';
  const exponent = big(request.exponent);
  if (exponent === BigInt(0)) return '1';
  const bits = exponent.toString(2); // starts with 1
  const k = m.toString(2).length;
  const shiftDown = BigInt(k - 1);
  const shiftQuotient = BigInt(k + 1);
  const mu = (one << BigInt(2 * k)) / m;
  // x < m² → x mod m: q underestimates x / m by at most 2.
  const reduce = (x) => {
    let r = x - (((x >> shiftDown) * mu) >> shiftQuotient) * m;
    while (r >= m) r -= m;
    return r;
  };
  const base = big(request.base) % m;
  const length = bits.length;
  const w = length > 671 ? 6 : length > 239 ? 5 : length > 79 ? 4 : length > 23 ? 3 : 1;
  // The odd powers base^1, base^3, ..., base^(2^w - 1).
  const odd = [base];
  const square = reduce(base * base);
  for (let i = 1; i < 1 << (w - 1); i++) odd.push(reduce(odd[i - 1] * square));
  let r = null; // 1, until the first window
  let i = 0;
  while (i < length) {
    if (bits.charCodeAt(i) === 48) {
      r = reduce(r * r); // r is set: the first bit is 1
      i++;
      continue;
    }
    let j = Math.min(i + w, length);
    while (bits.charCodeAt(j - 1) === 48) j--;
    const window = odd[(parseInt(bits.slice(i, j), 2) - 1) >> 1];
    if (r === null) r = window;
    else {
      for (let s = i; s < j; s++) r = reduce(r * r);
      r = reduce(r * window);
    }
    i = j;
  }
  return r.toString(16);
}
