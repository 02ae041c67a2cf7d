// "Remember in this tab": the form kept in sessionStorage (this tab only, gone when it
// closes), and only when the user asks. Nothing is stored otherwise; unticking clears it.

export const STORAGE_KEY = 'sigv4-wasm-playground';

/** The form fields that are remembered. */
export const REMEMBERED_FIELDS = [
  'method', 'url', 'headers', 'signedHeaders', 'body', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'region', 'service',
  'location', 'expiresIn', 'datetime', 's3', 'unsignedPayload', 'unencodedPath',
];

/** Stores the form; `storage` is sessionStorage in the page. Returns false when the storage refuses (private mode, quota). */
export function saveForm(storage, form) {
  const kept = {};
  for (const field of REMEMBERED_FIELDS) if (form[field] !== undefined) kept[field] = form[field];
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ version: 1, form: kept }));
    return true;
  } catch {
    return false;
  }
}

/** The remembered form, or null when nothing (or nothing readable) is stored. */
export function loadForm(storage) {
  let text;
  try {
    text = storage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const value = JSON.parse(text);
    if (!value || value.version !== 1 || typeof value.form !== 'object' || value.form === null) return null;
    const form = {};
    for (const field of REMEMBERED_FIELDS) {
      const v = value.form[field];
      if (typeof v === 'string' || typeof v === 'boolean') form[field] = v;
    }
    return form;
  } catch {
    return null;
  }
}

export function clearForm(storage) {
  try {
    storage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored, or storage unavailable: nothing to clear.
  }
}
