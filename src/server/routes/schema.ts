/** The JSON Schema documents of the data, generated from the model's zod schemas (docs/schema/). */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { jsonSchemaText, SCHEMA_NAMES, type SchemaName } from '../../model/schema.js';
import type { AppEnv } from '../auth.js';
import type { ServerContext } from '../context.js';
import { errors, secured } from './common.js';

export function schemaRoutes(app: OpenAPIHono<AppEnv>, _ctx: ServerContext): void {
  const texts = new Map<SchemaName, string>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/schema/{name}',
      tags: ['misc'],
      summary: '数据的 JSON Schema / the JSON Schema of the Report JSON, the diagnostics JSON or a register case',
      description:
        'The JSON Schema (draft 2020-12) generated from the zod schemas of src/model: the same documents as docs/schema/*.schema.json. Field reference: docs/report-json.md.',
      security: secured,
      request: {
        params: z.object({
          name: z
            .enum(SCHEMA_NAMES.map((n) => `${n}.json`) as [string, ...string[]])
            .openapi({ example: 'report.json', description: 'report.json, diagnostics.json or case.json' }),
        }),
      },
      responses: {
        200: {
          content: { 'application/schema+json': { schema: z.record(z.string(), z.unknown()).openapi({ type: 'object' }) } },
          description: 'the JSON Schema document',
        },
        ...errors(400, 401),
      },
    }),
    (c) => {
      const name = c.req.valid('param').name.replace(/\.json$/, '') as SchemaName;
      let text = texts.get(name);
      if (text === undefined) {
        text = jsonSchemaText(name);
        texts.set(name, text);
      }
      return new Response(text, {
        status: 200,
        headers: { 'Content-Type': 'application/schema+json; charset=utf-8', 'Cache-Control': 'private, max-age=3600' },
      }) as never;
    },
  );
}
