// UTF-8 for runtimes without TextEncoder/TextDecoder (Hermes before React Native 0.74,
// Postman's sandbox in newman). Where the runtime has them, they are used as they are.

function encode(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // a lone surrogate
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return new Uint8Array(bytes);
}

function decode(bytes) {
  // ASCII (almost every result of the signer): native conversion in chunks, checked at once.
  let ascii = '';
  for (let start = 0; start < bytes.length; start += 8192) ascii += String.fromCharCode.apply(null, bytes.subarray(start, start + 8192));
  if (!/[\u0080-\u00ff]/.test(ascii)) return ascii;
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const byte = bytes[i];
    const length = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    let code = length === 1 ? (byte < 0x80 ? byte : 0xfffd) : byte & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) code = (code << 6) | (bytes[i + k] & 63);
    i += length;
    if (code >= 0x10000) {
      code -= 0x10000;
      out += String.fromCharCode(0xd800 + (code >> 10), 0xdc00 + (code & 1023));
    } else {
      out += String.fromCharCode(code);
    }
  }
  return out;
}

// Constructors that return their object, with no prototype to assign: no statement of this
// module has a side effect, so a bundle that never names the fallbacks drops them.
function FallbackEncoder() {
  return {
    encode: (text) => encode(String(text)),
    encodeInto: (text, view) => {
      const bytes = encode(String(text));
      view.set(bytes);
      return { read: text.length, written: bytes.length };
    },
  };
}

function FallbackDecoder() {
  return { decode: (bytes) => (bytes === undefined ? '' : decode(bytes)) };
}

// js/build.mjs defines __SIGV4_NATIVE_UTF8__ as true for the browser bundle (every browser has
// TextEncoder and TextDecoder), which then carries no fallback.
// (Written out in each, so that the bundler folds it.)
export const Utf8Encoder = (typeof __SIGV4_NATIVE_UTF8__ !== 'undefined' && __SIGV4_NATIVE_UTF8__) ||
  typeof TextEncoder === 'function' ? TextEncoder : FallbackEncoder;
export const Utf8Decoder = (typeof __SIGV4_NATIVE_UTF8__ !== 'undefined' && __SIGV4_NATIVE_UTF8__) ||
  typeof TextDecoder === 'function' ? TextDecoder : FallbackDecoder;
