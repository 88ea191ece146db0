// The OpenAPI document describes what the API really sends: real responses are validated
// against the document's own schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, seedLetter, type TestApp } from '../helpers/app.js';
import { signAndConfirm } from '../helpers/signers.js';

// ajv and ajv-formats come with Fastify; ajv-formats is CommonJS with a default export.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const formatsExport = addFormatsModule as unknown as AddFormats & { default?: AddFormats };
const addFormats: AddFormats = formatsExport.default ?? formatsExport;

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

let t: TestApp;
let doc: OpenApi;
let ajv: Ajv2020;

beforeAll(async () => {
  t = await makeTestApp({ RATE_LIMIT: 'off', SPIKE_GUARD: 'off' }, { startBackground: false });
  await seedLetter(t.app, { notable: [{ name: 'Zadie Notable', description: 'Novelist' }] });
  for (let i = 0; i < 3; i++) {
    await signAndConfirm(t, 'fair-pay', { name: `Signer ${'abc'[i]}`, email: `s${i}@example.org`, country: i ? 'GB' : null });
    t.clock.advance(3600_000);
  }
  const res = await t.app.inject('/api/v1/openapi.json');
  expect(res.statusCode).toBe(200);
  doc = res.json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', ...doc.components, components: doc.components } as object);
});

afterAll(async () => {
  await t.close();
});

/** The schema of one documented response, with refs resolving into the document's components. */
function responseSchema(path: string, method: string, status: number) {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no JSON for ${status}`);
  // Rewrite #/components/... refs to point into the registered document.
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));
}

function expectValid(path: string, method: string, status: number, body: unknown) {
  const validate = ajv.compile(responseSchema(path, method, status));
  const ok = validate(body);
  expect(validate.errors ?? [], `${method} ${path} ${status}`).toEqual([]);
  expect(ok).toBe(true);
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and documents every press endpoint and signing, and nothing else', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/letters',
      '/api/v1/letters/{slug}',
      '/api/v1/letters/{slug}/count',
      '/api/v1/letters/{slug}/signatures',
      '/api/v1/letters/{slug}/timeseries',
    ]);
    expect(Object.keys(doc.paths['/api/v1/letters/{slug}/signatures']!).sort()).toEqual(['get', 'post']);
    const post = doc.paths['/api/v1/letters/{slug}/signatures']!.post!;
    expect(Object.keys(post.responses).sort()).toEqual(['202', '400', '404', '409', '422', '429']);
    // Only the schemas the operations use, once each.
    expect(Object.keys(doc.components.schemas).sort()).toEqual(
      [
        'Count',
        'Error',
        'Letter',
        'LetterLanguage',
        'LetterList',
        'LetterSummary',
        'NewSignatureInput',
        'NotableSignatory',
        'Signature',
        'SignatureAccepted',
        'SignatureList',
        'SignatureLog',
        'Timeseries',
      ].sort(),
    );
  });

  it('describes answers as open to new fields (version 1 only grows)', () => {
    expect(JSON.stringify(doc.components)).not.toContain('"additionalProperties":false');
    const letter = doc.components.schemas.Letter as { required: string[] };
    expect(letter.required).toContain('signatures_by_country');
  });

  it('is the same document at /openapi.json', async () => {
    const root = await t.app.inject('/openapi.json');
    expect(root.statusCode).toBe(200);
    expect(root.json()).toEqual(doc);
    expect(root.headers['access-control-allow-origin']).toBe('*');
  });

  it('rejects a response that breaks the contract (the validator is not a rubber stamp)', () => {
    const validate = ajv.compile(responseSchema('/api/v1/letters/{slug}/count', 'get', 200));
    expect(validate({ slug: 'x', signature_count: -1, updated_at: 'yesterday' })).toBe(false);
    expect(validate({ slug: 'x', signature_count: 1 })).toBe(false);
  });
});

describe('real responses match the document', () => {
  it.each([
    ['/api/v1/letters', '/api/v1/letters'],
    ['/api/v1/letters?limit=1', '/api/v1/letters'],
    ['/api/v1/letters/fair-pay', '/api/v1/letters/{slug}'],
    ['/api/v1/letters/fair-pay/count', '/api/v1/letters/{slug}/count'],
    ['/api/v1/letters/fair-pay/signatures?limit=2', '/api/v1/letters/{slug}/signatures'],
    ['/api/v1/letters/fair-pay/timeseries?interval=hour', '/api/v1/letters/{slug}/timeseries'],
    ['/api/v1/letters/fair-pay/timeseries?interval=day', '/api/v1/letters/{slug}/timeseries'],
  ])('GET %s', async (url, path) => {
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(200);
    expectValid(path, 'get', 200, res.json());
  });

  it.each([
    ['/api/v1/letters?limit=0', '/api/v1/letters', 400],
    ['/api/v1/letters?cursor=nope', '/api/v1/letters', 400],
    ['/api/v1/letters/nope', '/api/v1/letters/{slug}', 404],
    ['/api/v1/letters/nope/count', '/api/v1/letters/{slug}/count', 404],
    ['/api/v1/letters/fair-pay/signatures?limit=x', '/api/v1/letters/{slug}/signatures', 400],
    ['/api/v1/letters/fair-pay/timeseries?interval=year', '/api/v1/letters/{slug}/timeseries', 400],
  ])('GET %s (error)', async (url, path, status) => {
    const res = await t.app.inject(url);
    expect(res.statusCode).toBe(status);
    expectValid(path, 'get', status, res.json());
  });

  it('POST signatures: 202, 422, 404', async () => {
    const path = '/api/v1/letters/{slug}/signatures';
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/fair-pay/signatures',
      payload: { name: 'New One', email: 'new@example.org' },
    });
    expect(ok.statusCode).toBe(202);
    expectValid(path, 'post', 202, ok.json());
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/letters/fair-pay/signatures', payload: { name: '=cmd', email: 'x' } });
    expect(bad.statusCode).toBe(422);
    expectValid(path, 'post', 422, bad.json());
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/letters/nope/signatures',
      payload: { name: 'A', email: 'a@example.org' },
    });
    expect(missing.statusCode).toBe(404);
    expectValid(path, 'post', 404, missing.json());
  });
});
