import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, fixture } from './helpers.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});
afterAll(async () => {
  await f.cleanup();
});

/** every route of docs/api.md (plus the additions documented there) */
const ROUTES = [
  'post /api/login',
  'post /api/logout',
  'get /api/me',
  'get /api/agencies',
  'post /api/agencies',
  'patch /api/agencies/{id}',
  'get /api/users',
  'post /api/users',
  'patch /api/users/{id}',
  'post /api/users/{id}/password',
  'post /api/check',
  'post /api/reports',
  'get /api/reports',
  'get /api/reports/{id}',
  'delete /api/reports/{id}',
  'get /api/reports/{id}/export',
  'get /api/reports/{id}/original',
  'post /api/render',
  'get /api/library/stats',
  'get /api/cases',
  'post /api/cases',
  'get /api/cases/{id}',
  'patch /api/cases/{id}',
  'post /api/cases/{id}/events',
  'post /api/cases/{id}/events/{seq}/void',
  'get /api/cases/export',
  'post /api/cases/import',
  'get /api/cases/{id}/notices',
  'post /api/cases/{id}/notices/draft',
  'post /api/cases/{id}/notices',
  'get /api/notices/{noticeId}/file',
  'get /api/notice-settings',
  'put /api/notice-settings',
  'get /api/notice-templates',
  'put /api/notice-templates/{key}',
  'delete /api/notice-templates/{key}',
  'get /api/deadline',
  'get /api/holidays',
  'post /api/holidays/preview',
  'post /api/holidays',
  'get /api/compile/{year}',
  'put /api/compile/{year}',
  'post /api/compile/{year}/check',
  'get /api/health',
  'get /api/schema/{name}',
  'get /api/bodies',
  'post /api/bodies/import',
  'get /api/bodies/export',
  'post /api/intake',
  'get /api/intake/batches/{id}',
  'get /api/intake/pending',
  'post /api/intake/{id}/confirm',
  'post /api/intake/{id}/reject',
  'get /api/supervision/status',
  'get /api/supervision/rollup',
  'get /api/supervision/series',
  'get /api/supervision/scores',
  'get /api/supervision/copies',
  'put /api/supervision/reviews',
  'get /api/supervision/versions',
  'get /api/supervision/settings',
  'put /api/supervision/settings',
];

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document generated from the routes, listing every route', async () => {
    const res = await f.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[]; requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual([...ROUTES].sort());
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        if (path !== '/api/health' && path !== '/api/login') expect(op.security, `${method} ${path}`).toBeDefined();
      }
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['cookieAuth', 'csrfToken']);
    for (const name of ['Error', 'CheckResult', 'Report', 'Diagnostic', 'Grid', 'CaseEvent', 'NewCase', 'LibraryStats']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    // the check endpoint documents both inputs
    const check = doc.paths['/api/check'].post.requestBody as { content: Record<string, unknown> };
    expect(Object.keys(check.content).sort()).toEqual(['application/json', 'multipart/form-data']);
  });
});
