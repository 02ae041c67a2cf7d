// The PetStore example API that API Gateway's console creates ("Example API"), with its
// resources and methods: GET /, GET /pets (type, page), POST /pets, GET /pets/{petId}.
// Each server has its own in-memory store, so tests cannot see each other's pets.

const PAGE_SIZE = 3;
/** The longest body POST /pets parses: a pet is a small JSON object, held in memory to parse. */
const MAX_PET_JSON_BYTES = 64 * 1024;
const MAX_PETS = 1000;
const TYPES = ['dog', 'cat', 'fish', 'bird'];

/** The resources of the API, with their methods (OPTIONS answers CORS preflights). */
export const RESOURCES = [
  { path: '/', methods: ['GET'] },
  { path: '/pets', methods: ['GET', 'POST'] },
  { path: '/pets/{petId}', methods: ['GET'] },
].map((resource) => ({ ...resource, segments: resource.path.split('/').filter(Boolean) }));

/**
 * The resource a path under the stage names, as `{ resource, params, path }`, or null. The
 * path is split at `/` and each segment decoded once; it names a resource only when every
 * segment is the resource's (case counts, as in API Gateway) or fills one of its `{params}`.
 * `path` is the resource path with the parameters as decoded, the one policies are matched
 * against, and the parameters are what the handler is given: a policy on
 * .../GET/pets/1 covers every spelling of that path the handler serves as pet 1, and nothing
 * else (01 is another id). No spelling that clients or servers may read as another path
 * resolves: a trailing or doubled slash, a dot segment, an encoded slash, control characters.
 */
export function matchResource(path) {
  const segments = decodedSegments(path);
  if (!segments) return null;
  for (const resource of RESOURCES) {
    if (resource.segments.length !== segments.length) continue;
    const params = {};
    const fits = resource.segments.every((part, i) => {
      if (!part.startsWith('{')) return part === segments[i];
      params[part.slice(1, -1)] = segments[i];
      return true;
    });
    if (fits) return { resource, params, path: `/${segments.join('/')}` };
  }
  return null;
}

/** The segments of a path, each percent-decoded once, or null when one is not a plain name. */
function decodedSegments(path) {
  if (path === '/') return [];
  const segments = [];
  for (const raw of path.slice(1).split('/')) {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null; // not UTF-8
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\x00-\x1f\x7f/\\]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

/** How much of a body the handler of `method` on the resource `match` reads: the server keeps no more of it. */
export function bodyBytesRead(method, match) {
  return method === 'POST' && match.resource.path === '/pets' ? MAX_PET_JSON_BYTES : 0;
}

export function createStore() {
  const pets = [
    { id: 1, type: 'dog', price: 249.99 },
    { id: 2, type: 'cat', price: 124.99 },
    { id: 3, type: 'fish', price: 0.99 },
    { id: 4, type: 'dog', price: 199.99 },
    { id: 5, type: 'cat', price: 99.99 },
    { id: 6, type: 'bird', price: 49.99 },
    { id: 7, type: 'dog', price: 349.99 },
    { id: 8, type: 'fish', price: 4.99 },
    { id: 9, type: 'bird', price: 79.99 },
  ];
  return { pets, nextId: pets.length + 1 };
}

const json = (status, body) => ({ status, body });

/**
 * Answers an authorized request: `{ status, body }` (body as a JSON value). `query` is a
 * URLSearchParams, `body` is `{ size, bytes }`, with the bytes when there are at most
 * bodyBytesRead() of them, otherwise null.
 */
export function handle(store, method, match, query, body, stage) {
  const path = match.resource.path;
  if (path === '/') {
    return json(200, {
      message: 'Welcome to the PetStore example API, signed with AWS Signature Version 4.',
      resources: RESOURCES.filter((r) => r.path !== '/').map((r) => ({ path: `/${stage}${r.path}`, methods: r.methods })),
    });
  }
  if (path === '/pets' && method === 'GET') return listPets(store, query);
  if (path === '/pets' && method === 'POST') return addPet(store, body);
  return getPet(store, match.params.petId);
}

function listPets(store, query) {
  const type = query.get('type');
  const pageText = query.get('page');
  let page = 1;
  if (pageText !== null && pageText !== '') {
    if (!/^[1-9]\d{0,5}$/.test(pageText)) return json(400, { message: `page must be a whole number from 1, not '${truncate(pageText)}'` });
    page = Number(pageText);
  }
  const matching = type ? store.pets.filter((pet) => pet.type === type) : store.pets;
  return json(200, matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE));
}

function getPet(store, id) {
  // Ids compare as written, as the policy saw them: '01' is not pet 1.
  const pet = store.pets.find((p) => String(p.id) === id);
  if (!pet) return json(404, { message: `There is no pet with id '${truncate(id)}'` });
  return json(200, pet);
}

function addPet(store, { size, bytes }) {
  if (!bytes) return json(400, { message: `Could not parse request body into json: the body is ${size} bytes; a pet is at most ${MAX_PET_JSON_BYTES} bytes of JSON` });
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return json(400, { message: 'Could not parse request body into json: the body is not UTF-8 text' });
  }
  let pet;
  try {
    pet = JSON.parse(text);
  } catch (error) {
    return json(400, { message: `Could not parse request body into json: ${truncate(error.message)}` });
  }
  if (pet === null || typeof pet !== 'object' || Array.isArray(pet)) {
    return json(400, { message: 'The body must be a JSON object such as {"type": "dog", "price": 249.99}' });
  }
  if (!TYPES.includes(pet.type)) return json(400, { message: `type must be one of ${TYPES.join(', ')}` });
  if (typeof pet.price !== 'number' || !(pet.price >= 0) || pet.price > 1e6) return json(400, { message: 'price must be a number from 0 to 1000000' });
  if (store.pets.length >= MAX_PETS) return json(400, { message: `The store is full (${MAX_PETS} pets); restart the server to empty it` });
  const added = { id: store.nextId++, type: pet.type, price: pet.price };
  store.pets.push(added);
  // The response of the console's PetStore example.
  return json(200, { pet: added, message: 'success' });
}

function truncate(text) {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
