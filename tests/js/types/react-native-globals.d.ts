// A stand-in for the global types that the react-native package declares (its
// types/modules/globals.d.ts), reduced to the names the package's types use: no DOM library,
// no WebAssembly, no BufferSource, no ReadableStream. Shapes follow React Native's: Blob,
// Request and Response are an interface and a var, URL, URLSearchParams and FormData are classes.
interface Blob {
  readonly size: number;
  readonly type: string;
}
declare var Blob: { prototype: Blob; new (parts?: Array<Blob | string>): Blob };
interface Response {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}
declare var Response: { prototype: Response; new (body?: string | null): Response };
declare class URL {
  constructor(url: string, base?: string);
  href: string;
}
declare class URLSearchParams {
  constructor(init?: string | Record<string, string>);
  get(name: string): string | null;
}
interface Request {
  readonly method: string;
  readonly url: string;
}
declare var Request: { prototype: Request; new (input: Request | string, init?: { method?: string; body?: string | null }): Request };
declare class FormData {
  append(name: string, value: any): void;
}
declare function fetch(input: Request | string, init?: object): Promise<Response>;
