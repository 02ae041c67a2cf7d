// Presenting responses: bodies made readable, and what a failed fetch() most likely means.

/** A JSON body indented; anything else as it came. */
export function prettyBody(text, contentType) {
  if (!text) return '(empty body)';
  const looksJson = /json/i.test(contentType || '') || /^\s*[{[]/.test(text);
  if (looksJson) {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Why fetch() rejected, in words: the browser hides the cause (CORS, mixed content, a
 * refused connection all look alike), so name the usual suspects for this URL.
 */
export function describeFetchFailure(error, url, pageUrl) {
  let target;
  let page;
  try {
    target = new URL(url);
    page = new URL(pageUrl);
  } catch {
    return `The request was not sent: ${error && error.message ? error.message : error} (is the URL absolute, such as https://…?)`;
  }
  const reasons = [];
  if (page.protocol === 'https:' && target.protocol === 'http:') reasons.push('an https page may not call an http URL (mixed content)');
  if (target.origin !== page.origin) {
    reasons.push(`the endpoint did not allow this page's origin (CORS: it must answer the OPTIONS preflight with Access-Control-Allow-Origin and allow the signed headers such as Authorization and X-Amz-Date)`);
  }
  reasons.push('the server is not reachable');
  return `No response: ${error && error.message ? error.message : 'the request failed'}. Likely: ${reasons.join('; or ')}.`;
}
