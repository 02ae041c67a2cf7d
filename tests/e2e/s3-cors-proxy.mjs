// s3s-fs answers no CORS (a preflight OPTIONS is 501 NotImplemented, and no answer carries
// Access-Control-Allow-Origin), so a page cannot reach it from another origin. This proxy on
// 127.0.0.1 stands where a bucket's CORS rules would: it answers preflights itself and adds
// the CORS headers to s3s-fs's answers; everything else goes through untouched, the Host
// header included, so s3s-fs checks signatures made for the proxy's address.
import http from 'node:http';

const ALLOW = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, POST, HEAD, DELETE',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'ETag, Location, x-amz-request-id',
  'access-control-max-age': '600',
};

/** Starts the proxy in front of `target` (http://127.0.0.1:port); resolves to { url, requests, close() }. */
export function startCorsProxy(target) {
  const to = new URL(target);
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, ALLOW);
      res.end();
      return;
    }
    let answered = false;
    const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
      answered = true;
      res.writeHead(answer.statusCode, { ...answer.headers, ...ALLOW });
      answer.pipe(res);
    });
    // s3s-fs may answer a refusal before it has read the body, and close: the write then fails,
    // and the answer, when it came, is what the page gets.
    upstream.on('error', (error) => {
      setTimeout(() => {
        if (answered) return;
        if (!res.headersSent) res.writeHead(502, ALLOW);
        res.end(`proxy: ${error.message}`);
      }, 100);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
      });
    });
  });
}
