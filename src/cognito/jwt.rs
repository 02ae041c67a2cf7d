//! JWTs decoded without verifying them: what a client needs to cache tokens and refresh them
//! in time (`exp`), to choose between the ID and access tokens (`token_use`) and to build an
//! identity pool's `Logins` key (`iss`). API Gateway and Cognito verify the signature; a client
//! that must, verifies against the pool's JWKS elsewhere.

use crate::base64;
use crate::error::{Error, ErrorCode, Result};

/// The longest token accepted (Cognito's are 1 to 4 KB).
const MAX_TOKEN_LENGTH: usize = 65_536;

/// A decoded, unverified JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwt {
    /// The header, as JSON text.
    pub header: String,
    /// The payload (the claims), as JSON text.
    pub payload: String,
    /// `exp`, seconds since 1970 (a fraction dropped), if the payload has it.
    pub exp: Option<i64>,
    /// `iat`, seconds since 1970, if the payload has it.
    pub iat: Option<i64>,
}

impl Jwt {
    /// Whether the token has expired, or will within `tolerance_ms`, at `now_ms` (ms since
    /// 1970): `now + tolerance >= exp` (Amplify refreshes 5 s early). Without `exp`: never.
    pub fn is_expired(&self, now_ms: i64, tolerance_ms: i64) -> bool {
        self.exp.is_some_and(|exp| now_ms.saturating_add(tolerance_ms) >= exp.saturating_mul(1000))
    }

    /// A top-level string claim (`iss`, `token_use`, `sub`, `client_id`...), unescaped.
    pub fn string_claim(&self, name: &str) -> Option<String> {
        let members = members(&self.payload).ok()?;
        members.into_iter().find(|(key, _)| key == name).and_then(|(_, raw)| Scanner::new(raw).string())
    }
}

fn invalid(what: &str) -> Error {
    Error::new(
        ErrorCode::InvalidJwt,
        format!("not a JWT: {what}; pass the token as Cognito returned it (three base64url parts joined by '.')"),
    )
}

/// The header and payload of `token` (`header.payload.signature`, base64url), unverified.
pub fn decode_jwt(token: &str) -> Result<Jwt> {
    if token.len() > MAX_TOKEN_LENGTH {
        return Err(invalid("the token is over 64 KiB"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("it does not have three parts"));
    };
    let text = |part: &str, name: &str| -> Result<String> {
        let bytes = base64::decode_url(part).ok_or_else(|| invalid(&format!("the {name} is not base64url")))?;
        String::from_utf8(bytes).map_err(|_| invalid(&format!("the {name} is not UTF-8")))
    };
    let header = text(header, "header")?;
    let payload = text(payload, "payload")?;
    members(&header).map_err(|_| invalid("the header is not a JSON object"))?;
    let claims = members(&payload).map_err(|_| invalid("the payload is not a JSON object"))?;
    let mut jwt = Jwt { header: String::new(), payload: String::new(), exp: None, iat: None };
    for (key, raw) in claims {
        let slot = match key.as_str() {
            "exp" => &mut jwt.exp,
            "iat" => &mut jwt.iat,
            _ => continue,
        };
        *slot = Some(seconds(raw).ok_or_else(|| invalid(&format!("its '{key}' claim is not a number of seconds")))?);
    }
    jwt.header = header;
    jwt.payload = payload;
    Ok(jwt)
}

/// A JSON number as whole seconds.
fn seconds(raw: &str) -> Option<i64> {
    if !raw.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) {
        return None;
    }
    let value: f64 = raw.parse().ok()?;
    (value.is_finite() && value.abs() < 1e15).then(|| value.floor() as i64)
}

/// The members of a JSON object: each key (unescaped) with its value's JSON text.
fn members(json: &str) -> Result<Vec<(String, &str)>, ()> {
    let mut scanner = Scanner::new(json);
    let mut out = Vec::new();
    scanner.ws();
    scanner.eat(b'{')?;
    scanner.ws();
    if scanner.peek() == Some(b'}') {
        scanner.i += 1;
    } else {
        loop {
            scanner.ws();
            let key = scanner.string().ok_or(())?;
            scanner.ws();
            scanner.eat(b':')?;
            scanner.ws();
            let start = scanner.i;
            scanner.skip_value(0)?;
            out.push((key, &json[start..scanner.i]));
            scanner.ws();
            match scanner.next() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(()),
            }
        }
    }
    scanner.ws();
    if scanner.i == json.len() { Ok(out) } else { Err(()) }
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self { s: text.as_bytes(), i: 0 }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }
    fn eat(&mut self, b: u8) -> Result<(), ()> {
        if self.next() == Some(b) { Ok(()) } else { Err(()) }
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.s.get(self.i..self.i + 4)?;
        self.i += 4;
        // Four hex digits: from_str_radix alone would take a sign too (`\u+041`).
        digits.iter().try_fold(0, |n, &b| Some(n << 4 | char::from(b).to_digit(16)?))
    }
    /// A JSON string, unescaped.
    fn string(&mut self) -> Option<String> {
        if self.next()? != b'"' {
            return None;
        }
        let mut out = Vec::new();
        loop {
            match self.next()? {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4()?;
                            if (0xD800..0xDC00).contains(&high) {
                                if self.next()? != b'\\' || self.next()? != b'u' {
                                    return None;
                                }
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return None;
                                }
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                            } else {
                                char::from_u32(high)?
                            }
                        }
                        _ => return None,
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                b if b < 0x20 => return None,
                b => out.push(b),
            }
        }
    }
    /// Moves past one JSON value (nesting at most 64 deep).
    fn skip_value(&mut self, depth: u32) -> Result<(), ()> {
        if depth > 64 {
            return Err(());
        }
        match self.peek().ok_or(())? {
            b'"' => self.string().map(drop).ok_or(()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    if open == b'{' {
                        self.string().ok_or(())?;
                        self.ws();
                        self.eat(b':')?;
                        self.ws();
                    }
                    self.skip_value(depth + 1)?;
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(c) if c == close => return Ok(()),
                        _ => return Err(()),
                    }
                }
            }
            _ => {
                let start = self.i;
                while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')) {
                    self.i += 1;
                }
                let token = &self.s[start..self.i];
                let number = token.first().is_some_and(|b| b.is_ascii_digit() || *b == b'-');
                if matches!(token, b"true" | b"false" | b"null") || number { Ok(()) } else { Err(()) }
            }
        }
    }
}
